window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "ann@example.org",
      "username" : "ann",
      "accountId" : "100",
      "accountDisplayName" : "Ann A."
    }
  }
]
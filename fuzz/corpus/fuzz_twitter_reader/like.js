window.YTD.like.part0 = [
  { "like" : { "tweetId" : "2029894586810667242", "fullText" : "hi",
               "expandedUrl" : "https://twitter.com/bob/status/2029894586810667242" } },
  { "like" : { "tweetId" : "2029894586810667243",
               "expandedUrl" : "https://twitter.com/i/web/status/2029894586810667243" } },
  { "like" : { "tweetId" : "12", "expandedUrl" : "https://x.com/cat/status/12" } },
  { "like" : { "fullText" : "no id" } },
  ,
  { "like" : { "tweetId" : "13", "expandedUrl" : "https://x.com/ann/status/13" } }
]
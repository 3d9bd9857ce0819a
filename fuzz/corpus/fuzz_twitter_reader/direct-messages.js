window.YTD.direct_messages.part0 = [
  { "dmConversation" : { "conversationId" : "100-200", "messages" : [
    { "messageCreate" : { "recipientId" : "200", "reactions" : [
        { "senderId" : "200", "reactionKey" : "like", "eventId" : "5",
          "createdAt" : "2024-03-01T12:31:00.000Z" } ],
      "text" : "lunch?", "senderId" : "100", "id" : "1001",
      "createdAt" : "2024-03-01T12:30:00.000Z" } },
    { "messageCreate" : { "recipientId" : "100", "text" : "yes", "senderId" : "200",
      "id" : "1002", "createdAt" : "not a time" } } ] } }
]
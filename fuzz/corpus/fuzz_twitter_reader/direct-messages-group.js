window.YTD.direct_messages_group.part0 = [
  { "dmConversation" : { "conversationId" : "g1", "messages" : [
    { "joinConversation" : { "initiatingUserId" : "200", "participantsSnapshot" : [ "100", "200", "300" ],
      "createdAt" : "2024-03-02T00:00:00.000Z" } },
    { "messageCreate" : { "text" : "hi all", "senderId" : "300", "id" : "2001",
      "createdAt" : "2024-03-02T00:01:00.000Z" } },
    { "pollCreate" : { "id" : "2002" } } ] } }
]
window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "1", "created_at" : "Fri Mar 06 13:02:05 +0000 2026",
      "full_text" : "hello world", "entities" : { "user_mentions" : [ ], "urls" : [ ] } } },
  { "tweet" : { "id_str" : "2", "created_at" : "Sat Mar 07 10:00:00 +0100 2026",
      "full_text" : "@bob @cat yes", "in_reply_to_screen_name" : "bob",
      "in_reply_to_user_id_str" : "200", "in_reply_to_status_id_str" : "900",
      "entities" : { "user_mentions" : [
        { "name" : "Bob", "screen_name" : "bob", "id_str" : "200" },
        { "name" : "Cat", "screen_name" : "cat", "id_str" : "300" },
        { "name" : "Ann A.", "screen_name" : "ann", "id_str" : "100" } ] } } },
  { "tweet" : { "id_str" : "3", "created_at" : "Sat Mar 07 10:00:01 +0000 2026",
      "full_text" : "more, in a thread", "in_reply_to_screen_name" : "ann",
      "in_reply_to_user_id_str" : "100", "entities" : { "user_mentions" : [ ] } } },
  { "tweet" : { "id_str" : "4", "created_at" : "Sat Mar 07 10:00:02 +0000 2026",
      "full_text" : "RT @dan: a scoop", "entities" : { "user_mentions" : [
        { "name" : "Dan", "screen_name" : "dan", "id_str" : "400" } ] } } },
  { "tweet" : { "id_str" : "5", "created_at" : "Sat Mar 07 10:00:03 +0000 2026",
      "full_text" : "RT @ann: me again", "entities" : { "user_mentions" : [ ] } } },
  { "tweet" : { "id_str" : "6", "created_at" : "Sat Mar 07 10:00:04 +0000 2026",
      "full_text" : "look https://t.co/x", "entities" : { "urls" : [
        { "expanded_url" : "https://x.com/eve/status/901" } ] } } },
  { "tweet" : { "id_str" : "7", "created_at" : "yesterday", "full_text" : "?" } },
  { "tweet" : { "created_at" : "Sat Mar 07 10:00:04 +0000 2026", "full_text" : "?" } },
  { "tweet" : { "id_str" : "8", ] },
  { "tweet" : { "id_str" : "9", "created_at" : "Sat Mar 07 10:00:04 +0000 2026"

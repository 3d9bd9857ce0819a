window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029905358261502168"
          ],
          "editableUntil" : "2026-03-06T14:02:05.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Sama Hoole",
            "screen_name" : "SamaHoole",
            "indices" : [
              "0",
              "10"
            ],
            "id_str" : "2253756806",
            "id" : "2253756806"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/2UHqruPk7w",
            "expanded_url" : "https://x.com/milahu104/status/2027739112069878026",
            "display_url" : "x.com/milahu104/stat…",
            "indices" : [
              "11",
              "34"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "34"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029903943413772741",
      "id_str" : "2029905358261502168",
      "in_reply_to_user_id" : "1964312974236991488",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029905358261502168",
      "in_reply_to_status_id" : "2029903943413772741",
      "possibly_sensitive" : false,
      "created_at" : "Fri Mar 06 13:02:05 +0000 2026",
      "favorited" : false,
      "full_text" : "@SamaHoole https://t.co/2UHqruPk7w",
      "lang" : "qme",
      "in_reply_to_screen_name" : "milahu104",
      "in_reply_to_user_id_str" : "1964312974236991488"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029905315156599088"
          ],
          "editableUntil" : "2026-03-06T14:01:55.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Sama Hoole",
            "screen_name" : "SamaHoole",
            "indices" : [
              "0",
              "10"
            ],
            "id_str" : "2253756806",
            "id" : "2253756806"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/DINVl1FCfV",
            "expanded_url" : "https://x.com/milahu104/status/2029903943413772741",
            "display_url" : "x.com/milahu104/stat…",
            "indices" : [
              "11",
              "34"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "34"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2027739112069878026",
      "id_str" : "2029905315156599088",
      "in_reply_to_user_id" : "1964312974236991488",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029905315156599088",
      "in_reply_to_status_id" : "2027739112069878026",
      "possibly_sensitive" : false,
      "created_at" : "Fri Mar 06 13:01:55 +0000 2026",
      "favorited" : false,
      "full_text" : "@SamaHoole https://t.co/DINVl1FCfV",
      "lang" : "qme",
      "in_reply_to_screen_name" : "milahu104",
      "in_reply_to_user_id_str" : "1964312974236991488"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029903943413772741"
          ],
          "editableUntil" : "2026-03-06T13:56:28.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "user_mentions" : [
          {
            "name" : "Sama Hoole",
            "screen_name" : "SamaHoole",
            "indices" : [
              "0",
              "10"
            ],
            "id_str" : "2253756806",
            "id" : "2253756806"
          }
        ],
        "urls" : [ ],
        "symbols" : [ ],
        "media" : [
          {
            "expanded_url" : "https://x.com/milahu104/status/2029903943413772741/photo/1",
            "indices" : [
              "60",
              "83"
            ],
            "url" : "https://t.co/xwv9AIBVy4",
            "media_url" : "http://pbs.twimg.com/media/HCuq2zDboAAKHUC.jpg",
            "id_str" : "2029903915454799872",
            "id" : "2029903915454799872",
            "media_url_https" : "https://pbs.twimg.com/media/HCuq2zDboAAKHUC.jpg",
            "sizes" : {
              "small" : {
                "w" : "680",
                "h" : "453",
                "resize" : "fit"
              },
              "large" : {
                "w" : "1536",
                "h" : "1024",
                "resize" : "fit"
              },
              "medium" : {
                "w" : "1200",
                "h" : "800",
                "resize" : "fit"
              },
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              }
            },
            "type" : "photo",
            "display_url" : "pic.x.com/xwv9AIBVy4"
          }
        ],
        "hashtags" : [ ]
      },
      "display_text_range" : [
        "0",
        "83"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029892515050991732",
      "id_str" : "2029903943413772741",
      "in_reply_to_user_id" : "2253756806",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029903943413772741",
      "in_reply_to_status_id" : "2029892515050991732",
      "possibly_sensitive" : false,
      "created_at" : "Fri Mar 06 12:56:28 +0000 2026",
      "favorited" : false,
      "full_text" : "@SamaHoole Doctor: Try to eat some vegetables.\n\nSama Hoole: https://t.co/xwv9AIBVy4",
      "lang" : "en",
      "in_reply_to_screen_name" : "SamaHoole",
      "in_reply_to_user_id_str" : "2253756806",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://x.com/milahu104/status/2029903943413772741/photo/1",
            "indices" : [
              "60",
              "83"
            ],
            "url" : "https://t.co/xwv9AIBVy4",
            "media_url" : "http://pbs.twimg.com/media/HCuq2zDboAAKHUC.jpg",
            "id_str" : "2029903915454799872",
            "id" : "2029903915454799872",
            "media_url_https" : "https://pbs.twimg.com/media/HCuq2zDboAAKHUC.jpg",
            "sizes" : {
              "small" : {
                "w" : "680",
                "h" : "453",
                "resize" : "fit"
              },
              "large" : {
                "w" : "1536",
                "h" : "1024",
                "resize" : "fit"
              },
              "medium" : {
                "w" : "1200",
                "h" : "800",
                "resize" : "fit"
              },
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              }
            },
            "type" : "photo",
            "display_url" : "pic.x.com/xwv9AIBVy4"
          }
        ]
      }
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029899376470949893"
          ],
          "editableUntil" : "2026-03-06T13:38:19.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Beatrice Achterberg",
            "screen_name" : "BeaBovary",
            "indices" : [
              "0",
              "10"
            ],
            "id_str" : "1430506714131058697",
            "id" : "1430506714131058697"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "68"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029848005222838703",
      "id_str" : "2029899376470949893",
      "in_reply_to_user_id" : "1430506714131058697",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029899376470949893",
      "in_reply_to_status_id" : "2029848005222838703",
      "created_at" : "Fri Mar 06 12:38:19 +0000 2026",
      "favorited" : false,
      "full_text" : "@BeaBovary das \"haha ihr seid zu schwach für revolution\" gesetz 2026",
      "lang" : "de",
      "in_reply_to_screen_name" : "BeaBovary",
      "in_reply_to_user_id_str" : "1430506714131058697"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029881770624143742"
          ],
          "editableUntil" : "2026-03-06T12:28:22.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "„Plagiatsjäger“",
            "screen_name" : "SprachPhilo",
            "indices" : [
              "0",
              "12"
            ],
            "id_str" : "1521510797628915712",
            "id" : "1521510797628915712"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "15"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029861578569285708",
      "id_str" : "2029881770624143742",
      "in_reply_to_user_id" : "1521510797628915712",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029881770624143742",
      "in_reply_to_status_id" : "2029861578569285708",
      "created_at" : "Fri Mar 06 11:28:22 +0000 2026",
      "favorited" : false,
      "full_text" : "@SprachPhilo ja",
      "lang" : "und",
      "in_reply_to_screen_name" : "SprachPhilo",
      "in_reply_to_user_id_str" : "1521510797628915712"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029612798058148140"
          ],
          "editableUntil" : "2026-03-05T18:39:34.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Kim Dotcom",
            "screen_name" : "KimDotcom",
            "indices" : [
              "0",
              "10"
            ],
            "id_str" : "611986351",
            "id" : "611986351"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "65"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029433085998317711",
      "id_str" : "2029612798058148140",
      "in_reply_to_user_id" : "611986351",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029612798058148140",
      "in_reply_to_status_id" : "2029433085998317711",
      "created_at" : "Thu Mar 05 17:39:34 +0000 2026",
      "favorited" : false,
      "full_text" : "@KimDotcom &gt; X is censored\n\nall clearnet services are censored",
      "lang" : "en",
      "in_reply_to_screen_name" : "KimDotcom",
      "in_reply_to_user_id_str" : "611986351"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029604193200152772"
          ],
          "editableUntil" : "2026-03-05T18:05:22.538Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "user_mentions" : [
          {
            "name" : "Stephan Palm",
            "screen_name" : "StephanRPalm",
            "indices" : [
              "3",
              "16"
            ],
            "id_str" : "1750816407195959296",
            "id" : "1750816407195959296"
          },
          {
            "name" : "CDU Deutschlands",
            "screen_name" : "CDU",
            "indices" : [
              "18",
              "22"
            ],
            "id_str" : "20429858",
            "id" : "20429858"
          }
        ],
        "urls" : [ ],
        "symbols" : [ ],
        "media" : [
          {
            "expanded_url" : "https://x.com/StephanRPalm/status/2029498595309715652/photo/1",
            "source_status_id" : "2029498595309715652",
            "indices" : [
              "77",
              "100"
            ],
            "url" : "https://t.co/en3wgkcbae",
            "media_url" : "http://pbs.twimg.com/media/HCo5t1CbQAA4FOT.jpg",
            "id_str" : "2029498041577979904",
            "source_user_id" : "1750816407195959296",
            "id" : "2029498041577979904",
            "media_url_https" : "https://pbs.twimg.com/media/HCo5t1CbQAA4FOT.jpg",
            "source_user_id_str" : "1750816407195959296",
            "sizes" : {
              "small" : {
                "w" : "542",
                "h" : "680",
                "resize" : "fit"
              },
              "large" : {
                "w" : "718",
                "h" : "900",
                "resize" : "fit"
              },
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "718",
                "h" : "900",
                "resize" : "fit"
              }
            },
            "type" : "photo",
            "source_status_id_str" : "2029498595309715652",
            "display_url" : "pic.x.com/en3wgkcbae"
          }
        ],
        "hashtags" : [ ]
      },
      "display_text_range" : [
        "0",
        "100"
      ],
      "favorite_count" : "0",
      "id_str" : "2029604193200152772",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029604193200152772",
      "possibly_sensitive" : false,
      "created_at" : "Thu Mar 05 17:05:22 +0000 2026",
      "favorited" : false,
      "full_text" : "RT @StephanRPalm: @CDU Das hier ist der Grund für die schwindende Akzeptanz. https://t.co/en3wgkcbae",
      "lang" : "de",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://x.com/StephanRPalm/status/2029498595309715652/photo/1",
            "source_status_id" : "2029498595309715652",
            "indices" : [
              "77",
              "100"
            ],
            "url" : "https://t.co/en3wgkcbae",
            "media_url" : "http://pbs.twimg.com/media/HCo5t1CbQAA4FOT.jpg",
            "id_str" : "2029498041577979904",
            "source_user_id" : "1750816407195959296",
            "id" : "2029498041577979904",
            "media_url_https" : "https://pbs.twimg.com/media/HCo5t1CbQAA4FOT.jpg",
            "source_user_id_str" : "1750816407195959296",
            "sizes" : {
              "small" : {
                "w" : "542",
                "h" : "680",
                "resize" : "fit"
              },
              "large" : {
                "w" : "718",
                "h" : "900",
                "resize" : "fit"
              },
              "thumb" : {
                "w" : "150",
                "h" : "150",
                "resize" : "crop"
              },
              "medium" : {
                "w" : "718",
                "h" : "900",
                "resize" : "fit"
              }
            },
            "type" : "photo",
            "source_status_id_str" : "2029498595309715652",
            "display_url" : "pic.x.com/en3wgkcbae"
          }
        ]
      }
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029601734373351770"
          ],
          "editableUntil" : "2026-03-05T17:55:36.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Schöne Helene",
            "screen_name" : "0Schone",
            "indices" : [
              "0",
              "8"
            ],
            "id_str" : "1288903070974390273",
            "id" : "1288903070974390273"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "82"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029281257675186441",
      "id_str" : "2029601734373351770",
      "in_reply_to_user_id" : "1288903070974390273",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029601734373351770",
      "in_reply_to_status_id" : "2029281257675186441",
      "created_at" : "Thu Mar 05 16:55:36 +0000 2026",
      "favorited" : false,
      "full_text" : "@0Schone irgendwie müssen wir ja die 95% nutzlosen esser loswerden.\nbessere ideen?",
      "lang" : "de",
      "in_reply_to_screen_name" : "0Schone",
      "in_reply_to_user_id_str" : "1288903070974390273"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029601030837584093"
          ],
          "editableUntil" : "2026-03-05T17:52:48.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Dushan Wegner",
            "screen_name" : "dushanwegner",
            "indices" : [
              "0",
              "13"
            ],
            "id_str" : "14784064",
            "id" : "14784064"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "76"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029195403418038325",
      "id_str" : "2029601030837584093",
      "in_reply_to_user_id" : "14784064",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029601030837584093",
      "in_reply_to_status_id" : "2029195403418038325",
      "created_at" : "Thu Mar 05 16:52:48 +0000 2026",
      "favorited" : false,
      "full_text" : "@dushanwegner &gt; Wie kam es eigentlich dazu?\n\npazifismus und übervölkerung",
      "lang" : "de",
      "in_reply_to_screen_name" : "dushanwegner",
      "in_reply_to_user_id_str" : "14784064"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "2029594389937328430"
          ],
          "editableUntil" : "2026-03-05T17:26:25.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Tobias Ulbrich",
            "screen_name" : "AnwaltUlbrich",
            "indices" : [
              "0",
              "14"
            ],
            "id_str" : "544397208",
            "id" : "544397208"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/HnZtwP5fPJ",
            "expanded_url" : "https://en.wikipedia.org/wiki/International_Jewish_conspiracy",
            "display_url" : "en.wikipedia.org/wiki/Internati…",
            "indices" : [
              "47",
              "70"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "70"
      ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "2029523219992965279",
      "id_str" : "2029594389937328430",
      "in_reply_to_user_id" : "544397208",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "2029594389937328430",
      "in_reply_to_status_id" : "2029523219992965279",
      "possibly_sensitive" : false,
      "created_at" : "Thu Mar 05 16:26:25 +0000 2026",
      "favorited" : false,
      "full_text" : "@AnwaltUlbrich bei israel hört der spaß auf...\nhttps://t.co/HnZtwP5fPJ",
      "lang" : "de",
      "in_reply_to_screen_name" : "AnwaltUlbrich",
      "in_reply_to_user_id_str" : "544397208"
    }
  }
]
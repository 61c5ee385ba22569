"""WeChat official account (公众号) gateway: WeChat's servers call /wechat, the gateway talks to
Rasa's REST channel and answers in the passive reply or, when the assistant is slower than
WeChat's five seconds, through the customer-service message API.

One concern per module: config (environment), security (signatures, replays, safe XML), state and
dedupe (shared store, each message seen once), assistant (Rasa client), replies (rendering and
splitting), customer_service (access token and active messages), media (images and voice),
handlers (what each message type gets) and app (the aiohttp application).
"""

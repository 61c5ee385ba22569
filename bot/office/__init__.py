"""The hotline office's side of the domain: what the assistant did for citizens (service records),
statistics, hot topics (热点) and forecasts for the office and the city, supervision (督办).

Plain Python over the tickets database, like the rest of bot/: no Rasa, no web framework.
"""

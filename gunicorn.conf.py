"""gunicorn settings: no access log (it would hold client addresses and user agents)."""

accesslog = None
# Should anyone enable an access log, this format leaves out address, user agent,
# referrer and query string.
access_log_format = '"%(m)s %(U)s" %(s)s %(M)sms'
errorlog = "-"
loglevel = "warning"
bind = "127.0.0.1:5000"
workers = 2
forwarded_allow_ips = "127.0.0.1"

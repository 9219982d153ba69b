-- The baseline's side of a POST benchmark: a form body of BODY_BYTES bytes to a fixed page.
wrk.method = "POST"
wrk.body = string.rep("a", tonumber(os.getenv("BODY_BYTES")))
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

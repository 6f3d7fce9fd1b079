-- wrk script: the same small completion request for every path.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"meta-llama/Llama-3.1-8B-Instruct","prompt":"Say hello","max_tokens":1}'

-- wrk script for bench/http.sh: request headers from the environment.
--   WRK_ETAG=<etag>  sends If-None-Match (a conditional GET answered 304)
--   WRK_GZIP=1       sends Accept-Encoding: gzip
local etag = os.getenv("WRK_ETAG")
if etag and etag ~= "" then
  wrk.headers["If-None-Match"] = etag
end
if os.getenv("WRK_GZIP") == "1" then
  wrk.headers["Accept-Encoding"] = "gzip"
end

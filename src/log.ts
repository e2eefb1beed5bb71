import pino from "pino";

/** JSON logs. Requests are logged by method, path and id only: no address, no user agent, no query
 *  string (which could carry a token), and known secret fields are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  return pino({
    level,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "res.headers['set-cookie']", "password", "*.password",
        "token", "*.token", "totpSecret", "*.totpSecret", "secret", "*.secret"],
      censor: "[redacted]",
    },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, path: (req.url ?? "").split("?")[0], id: req.id }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  }, destination);
}

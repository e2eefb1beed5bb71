// autocannon 9 ships no types: the part of its API the runner uses (see its README).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export type RequestContext = Record<string, unknown>;
  export type Request = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request of a connection; returns the request to send. */
    setupRequest?: (req: Request, context: RequestContext) => Request;
    /** Called with each response of this request (the body is collected only when this is set). */
    onResponse?: (status: number, body: string, context: RequestContext, headers: Record<string, string>) => void;
  };
  export type Options = {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    requests?: Request[];
    /** Let the request's setupRequest see the previous response (context per connection). */
    initialContext?: RequestContext;
  };
  export type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number; [k: string]: number };
  export type Result = {
    requests: Histogram & { total: number; sent: number };
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
    statusCodeStats: Record<string, { count: number }>;
  };
  export type Instance = EventEmitter & Promise<Result> & { stop(): void };
  export default function autocannon(opts: Options): Instance;
}

// The part of autocannon 9's API that bench/load.ts uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";
  namespace autocannon {
    interface Result {
      errors: number;
      timeouts: number;
      requests: { total: number };
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
      requests?: { setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
    }
  }
  function autocannon(options: autocannon.Options): EventEmitter;
  export default autocannon;
}

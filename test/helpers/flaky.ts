/**
 * An RPC outage for tests: a provider whose `getBlockNumber` fails as an unreachable endpoint
 * (ECONNREFUSED) while `failures.left` is above zero, each call using one up; every other call
 * goes to the real provider.
 */
import type { Provider } from "ethers";

export function flakyProvider(real: Provider, failures: { left: number }): Provider {
  return new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== "getBlockNumber") return typeof v === "function" ? v.bind(target) : v;
      return async () => {
        if (failures.left-- > 0) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8646"), { code: "ECONNREFUSED" });
        return target.getBlockNumber();
      };
    },
  }) as Provider;
}

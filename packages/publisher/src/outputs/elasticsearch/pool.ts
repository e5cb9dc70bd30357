// The client's weighted round-robin pool, fixed for a whole-cluster outage. In @elastic/transport's
// WeightedConnectionPool, markDead lowers a host's weight and the pool's maximum weight but not the
// weight the rotation is currently at (elastic/elasticsearch-js#1714). Once every host has failed a
// few times (each weight down to 1), no host reaches that current weight: getConnection answers
// "no living connections" without trying any, and lowers it by one per call. With three hosts it
// starts at 333, so after the cluster is back the beat kept retrying on nothing for up to
// 333 backoffs (minutes). Clamping it to the maximum keeps the rotation on the hosts.
import type { WeightedConnectionPool } from '@elastic/elasticsearch';
import { esLib } from './client-lib';

let recovering: typeof WeightedConnectionPool | undefined;

/** The weighted pool class whose rotation goes on after every host was marked dead (defined on first use). */
export function recoveringWeightedPool(): typeof WeightedConnectionPool {
  recovering ??= class RecoveringWeightedPool extends esLib().WeightedConnectionPool {
    /** Lowers the host's weight, and the rotation's current weight with the maximum. */
    override markDead(...args: Parameters<WeightedConnectionPool['markDead']>): this {
      super.markDead(...args);
      this.currentWeight = Math.min(this.currentWeight, this.maxWeight);
      return this;
    }
  };
  return recovering;
}

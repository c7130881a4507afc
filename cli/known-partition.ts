// --partition must name a month of the data, unless --allow-new-partition says the source adds it.
import { listPartitions } from '../activities/shared/partitions';
import { UsageError } from './output';
import type { Pool } from '../infra/db';

export async function checkKnownPartition(pool: Pool, partitionKey: string): Promise<void> {
  const months = await listPartitions(pool);
  if (months.includes(partitionKey)) return;
  const known = months.length ? `the data's months are ${months[0]} … ${months[months.length - 1]}` : 'no month is staged yet';
  throw new UsageError(
    `--partition ${partitionKey} is not a month of the data (${known}): pass --allow-new-partition if the source adds it`,
    'PARTITION.UNKNOWN',
  );
}

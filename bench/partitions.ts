// npm run bench:partitions: the partition status (`dw partitions`, a backfill's plan) over thousands of partitions,
// against a plain read of the same ledger rows in the same run. Results in bench/results/partitions.{json,md}.
import fs from 'node:fs';
import path from 'node:path';
import { expandPlan, platformGraph } from '../assets';
import { assess } from '../activities/ledger/staleness';
import { listPartitions } from '../activities/shared/partitions';
import { embeddedDatabaseUrl } from '../infra/config';
import { createPool } from '../infra/db';
import { startPostgres } from '../infra/services/postgres';
import { createBenchDatabase, dropBenchDatabase } from './env';
import { describeMachine } from './machine';
import { fmt, median, progress, timed } from './util';

const SIZES = [500, 5_000];
const ROUNDS = 5;
const DB = 'dw_bench_partitions';
const ASSETS = ['domain/sales/orders', 'domain/customer/customers', 'domain/fulfillment/shipments'];

interface Row {
  partitions: number;
  assetPartitions: number;
  assessMs: number;
  ledgerReadMs: number;
  ratio: number;
  perAssetPartitionUs: number;
}

async function main(): Promise<void> {
  await startPostgres();
  const graph = platformGraph();
  const rows: Row[] = [];
  for (const n of SIZES) {
    const pool = createPool(await createBenchDatabase(DB), 4);
    try {
      progress(`${n} partitions: ledger with ${n * ASSETS.length} materialized asset partitions`);
      // One order per month (from 1600-01) and a ledger where every partition of the three domain assets is materialized.
      await pool.query(`
        INSERT INTO staging.orders (order_id, customer_id, order_status, order_purchase_timestamp, order_estimated_delivery_date, _source_sha256, _source_row)
        SELECT md5(i::text), md5('c' || i), 'created', timestamp '1600-01-15' + make_interval(months => i), timestamp '1600-02-15' + make_interval(months => i), 'bench', i + 1
          FROM generate_series(0, ${n - 1}) i`);
      await pool.query('REFRESH MATERIALIZED VIEW staging.order_partitions');
      await pool.query(
        `
        WITH nodes AS (
          SELECT a AS asset_key, '' AS partition_key FROM unnest($1::text[]) a
          UNION ALL SELECT a, p.partition_key FROM unnest($2::text[]) a CROSS JOIN (SELECT DISTINCT partition_key FROM staging.order_partitions) p),
        m AS (
          INSERT INTO dw_meta.materializations (run_id, asset_key, partition_key, status, input_version, data_version, duration_ms)
          SELECT 'bench', asset_key, partition_key, 'success', md5(asset_key || partition_key), md5(asset_key || partition_key), 10 FROM nodes
          RETURNING id, asset_key, partition_key, input_version, data_version)
        INSERT INTO dw_meta.checkpoints (asset_key, partition_key, input_version, data_version, materialization_id)
        SELECT asset_key, partition_key, input_version, data_version, id FROM m`,
        [graph.keys().filter((k) => k.startsWith('raw/') || k.startsWith('staging/')), ASSETS],
      );
      const partitions = await listPartitions(pool);
      const steps = expandPlan(graph, ASSETS, partitions);
      await assess(pool, graph, steps); // warm-up: computes and stores the per-month digests once
      const assessMs: number[] = [];
      const readMs: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        readMs.push(
          (
            await timed(async () => {
              await pool.query('SELECT * FROM dw_meta.checkpoints');
              await pool.query(
                'SELECT DISTINCT ON (asset_key, partition_key) * FROM dw_meta.materializations ORDER BY asset_key, partition_key, id DESC',
              );
            })
          ).ms,
        );
        assessMs.push((await timed(() => assess(pool, graph, steps))).ms);
      }
      const a = median(assessMs);
      const b = median(readMs);
      rows.push({
        partitions: n,
        assetPartitions: steps.length,
        assessMs: a,
        ledgerReadMs: b,
        ratio: a / b,
        perAssetPartitionUs: (a * 1000) / steps.length,
      });
      progress(`${n} partitions: assess ${fmt.ms(a)}, plain ledger read ${fmt.ms(b)}`);
    } finally {
      await pool.end();
      await dropBenchDatabase(DB);
    }
  }
  const machine = await describeMachine(embeddedDatabaseUrl('postgres'));
  const dir = path.join(__dirname, 'results');
  fs.writeFileSync(path.join(dir, 'partitions.json'), `${JSON.stringify({ machine, rounds: ROUNDS, rows }, null, 2)}\n`);
  const md = [
    '# Partition status over many partitions',
    '',
    `\`npm run bench:partitions\`: the status of every asset × month of the three monthly domain assets (what \`dw partitions\``,
    "and a backfill's plan compute), against a plain read of the same ledger rows (checkpoints and latest attempts) in the",
    `same run. Median of ${ROUNDS} rounds, after one warm-up round that computes the per-month digests.`,
    '',
    '| partitions | asset partitions | status | plain ledger read | ratio | per asset partition |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${fmt.int(r.partitions)} | ${fmt.int(r.assetPartitions)} | ${fmt.ms(r.assessMs)} | ${fmt.ms(r.ledgerReadMs)} | ${fmt.x(r.ratio, 1)} | ${r.perAssetPartitionUs.toFixed(0)} µs |`,
    ),
    '',
    `Machine: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.postgres.split(' on ')[0]}, node ${machine.node}, commit \`${machine.commit}\`.`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'partitions.md'), md);
  process.stdout.write(md);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

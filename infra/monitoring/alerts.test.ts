// The alert rules: promtool accepts them, their unit tests pass, and each rule is tested both ways and links the runbook.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../config';
import { promtool } from '../../test/support/promtool';

const DIR = path.join(ROOT, 'infra', 'monitoring');
const rulesText = fs.readFileSync(path.join(DIR, 'alerts.yml'), 'utf8');
const testsText = fs.readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8');

/** Each rule's block of text in alerts.yml, by alert name. */
const rules = new Map(
  rulesText
    .split(/^\s+- alert: /m)
    .slice(1)
    .map((block) => [block.split('\n')[0]!.trim(), block]),
);

/** GitHub's anchor of a markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s/g, '-');
const runbookAnchors = new Set(
  fs
    .readFileSync(path.join(ROOT, 'docs', 'runbook.md'), 'utf8')
    .split('\n')
    .filter((l) => /^#+ /.test(l))
    .map((l) => anchor(l.replace(/^#+ /, ''))),
);

describe('alert rules', () => {
  it('when promtool checks the rules, then they are valid', () => {
    const r = promtool(['check', 'rules', 'alerts.yml'], DIR);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${rules.size} rules found`);
  });

  it('when promtool runs the rule unit tests, then every expectation holds', () => {
    const r = promtool(['test', 'rules', 'alerts.test.yml'], DIR);
    expect(r.code, r.output).toBe(0);
  });

  it('when the issue lists an alert, then a rule covers it', () => {
    expect([...rules.keys()]).toEqual(
      expect.arrayContaining([
        'DwRunFailed',
        'DwAssetStale',
        'DwQualityScoreLow',
        'DwQuarantineRateHigh',
        'DwBackfillStuck',
        'DwScheduleMissed',
        'DwWorkerDown',
        'DwDbtTestFailed',
      ]),
    );
  });

  it.each([...rules.keys()])('when %s is read, then it has a severity, a summary and a runbook section that exists', (name) => {
    const block = rules.get(name)!;
    expect(block).toMatch(/severity: (critical|warning)\n/);
    expect(block).toMatch(/summary: ".+"/);
    const url = /runbook_url: "docs\/runbook\.md#([\w-]+)"/.exec(block);
    expect(url, `${name} has no runbook_url into docs/runbook.md`).not.toBeNull();
    expect(runbookAnchors, `docs/runbook.md has no section #${url![1]}`).toContain(url![1]);
    if (/expr: .*\b(dw_asset_\w+|dw_check_results|dw_quality_score)\b/.test(block)) {
      expect(block, `${name}'s summary names the asset`).toMatch(/summary: ".*\{\{ \$labels\.asset \}\}/);
    }
  });

  it.each([...rules.keys()])('when %s is unit-tested, then one case expects it to fire and one expects silence', (name) => {
    const cases = [...testsText.matchAll(new RegExp(`alertname: ${name}\\n\\s+exp_alerts:(.*)`, 'g'))].map((m) => m[1]!.trim());
    expect(cases, `${name}: no silent case`).toContain('[]');
    expect(cases, `${name}: no firing case`).toContain('');
  });
});

// HTML building blocks of the data docs: escaping, the page shell with its inline style, file names of asset pages.

/** Escapes text for HTML content and quoted attribute values (values come from source data). */
export function esc(value: unknown): string {
  const s = value === null || value === undefined ? '' : typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The page of an asset, relative to the site root: `domain/sales/orders` → `assets/domain--sales--orders.html`. */
export function assetFile(assetKey: string): string {
  return `assets/${assetKey.replace(/\//g, '--').replace(/[^A-Za-z0-9_.-]/g, '_')}.html`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:14px 28px}header a{color:#cfe3ff}
main{padding:20px 28px;max-width:1200px}
h1{font-size:20px;margin:0}h2{font-size:16px;margin:26px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:8px}
th,td{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.score{font-size:34px;font-weight:700}.pass{color:#1a7f37}.warn{color:#9a6700}.block{color:#cf222e}
.muted{color:#667085}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{margin:0;white-space:pre-wrap;word-break:break-all}
.card{display:inline-block;background:#fff;border:1px solid #dde1e7;padding:10px 16px;margin:0 12px 12px 0}
svg{background:#fff;border:1px solid #dde1e7}`;

/** A whole page: no external asset (inline CSS, inline SVG), so it opens from the file system. */
export function page(title: string, body: string, rootPrefix: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}</h1><a href="${rootPrefix}index.html">quality overview</a></header>
<main>${body}</main></body></html>
`;
}

export const STATUS_MARK = { pass: '✔', warn: '⚠', block: '✘' } as const;

/** A status as a coloured mark and word. */
export function status(s: 'pass' | 'warn' | 'block'): string {
  return `<span class="${s}">${STATUS_MARK[s]} ${s}</span>`;
}

// Shared by the generators of synthetic usage records (make_dimension_records.mjs,
// make_catalog_records.mjs): the record shape they ingest, writing it as NDJSON, and checking
// that an export of it came back unchanged.
//
// Counts follow the domain page (../shared/docs/usage-and-pricing.md): prompt_tokens is ALL
// input, cache reads (cached_tokens) and cache writes (cache_write_tokens) included;
// completion_tokens is ALL output, reasoning_tokens included. project_id names the dimension
// a record was made for; request_id names the case and is unique, so that a record is found
// again by it: DIMENSION|PROVIDER/MODEL|TIMESTAMP|p<prompt>-c<completion>-r<cached (read)>-
// w<cache write>-t<reasoning (thinking)>. A record with a known difference from the oracle
// carries its reason in metadata.oracle_expected_difference (see price_records.mjs).
import { readFileSync, writeFileSync } from 'node:fs'

// A record of `organization` and `dimension` from `c`: model, instant, non-zero counts, the
// reason of an expected difference.
export function usageRecord(organization, dimension, c) {
  const counts = {
    prompt_tokens: c.prompt ?? 0,
    completion_tokens: c.completion ?? 0,
    cached_tokens: c.cached ?? 0,
    cache_write_tokens: c.write ?? 0,
    reasoning_tokens: c.reasoning ?? 0,
  }
  const shape = `p${counts.prompt_tokens}-c${counts.completion_tokens}-r${counts.cached_tokens}-w${counts.cache_write_tokens}-t${counts.reasoning_tokens}`
  return {
    timestamp: c.at ?? '2025-08-01T12:00:00Z',
    provider: c.provider,
    model: c.model,
    organization_id: organization,
    project_id: dimension,
    request_id: `${dimension}|${c.provider}/${c.model}|${c.at ?? 'default'}|${shape}`,
    ...counts,
    total_tokens: counts.prompt_tokens + counts.completion_tokens,
    ...(c.expectedDifference && { metadata: { oracle_expected_difference: c.expectedDifference } }),
  }
}

// Writes the records as NDJSON; refuses two with one request_id (the second would be a re-import).
export function writeRecords(path, records) {
  if (new Set(records.map((r) => r.request_id)).size !== records.length) {
    throw new Error('two generated records share a request_id')
  }
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
}

// Microseconds since 1970 of a timestamp as cost-ops reads it (no zone is UTC, a date is 00:00).
export function instantMicros(text) {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text)
  if (!m) throw new Error(`unexpected timestamp form: ${text}`)
  const millis = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[4] ?? 'Z'}`)
  return BigInt(millis) * 1000n + BigInt((m[3] ?? '').padEnd(6, '0'))
}

// Fails unless every record of `organization` was exported once, with the same counts and instant.
export function checkExport(exportedPath, organization, records) {
  const exported = new Map()
  for (const r of JSON.parse(readFileSync(exportedPath, 'utf8'))) {
    if (r.organization_id !== organization) continue
    if (exported.has(r.request_id)) throw new Error(`exported twice: ${r.request_id}`)
    exported.set(r.request_id, r)
  }
  const fields = ['provider', 'model', 'prompt_tokens', 'completion_tokens', 'cached_tokens',
    'cache_write_tokens', 'reasoning_tokens', 'project_id']
  for (const want of records) {
    const got = exported.get(want.request_id)
    if (!got) throw new Error(`not exported: ${want.request_id}`)
    for (const f of fields) {
      if (got[f] !== want[f]) throw new Error(`${want.request_id}: ${f} is ${got[f]}, generated ${want[f]}`)
    }
    if (JSON.stringify(got.metadata ?? null) !== JSON.stringify(want.metadata ?? null)) {
      throw new Error(`${want.request_id}: metadata ${JSON.stringify(got.metadata)} is not ${JSON.stringify(want.metadata)}`)
    }
    if (instantMicros(got.timestamp) !== instantMicros(want.timestamp)) {
      throw new Error(`${want.request_id}: timestamp ${got.timestamp} is not ${want.timestamp}`)
    }
  }
  if (exported.size !== records.length) {
    throw new Error(`${exported.size} records exported, ${records.length} generated`)
  }
}

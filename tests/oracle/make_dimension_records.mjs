// The synthetic usage records of tests/cli/test_genai_prices_oracle_dimensions.sh: every price
// dimension the demo traces leave out, each at and around its boundaries. The set is a fixed
// enumeration (no randomness), so every run ingests the same records.
//
//   node make_dimension_records.mjs write OUT.ndjson      the records, one JSON object a line
//   node make_dimension_records.mjs check EXPORTED.json   each came back with its counts and instant
//
// The record shape, its request_id and the export check are those of usage_records.mjs.
//
// The models and the boundaries are those of ../shared/data/pricing/genai-prices/data.json:
//   cache      anthropic claude-3-5-sonnet (read 0.3, write 3.75), openai gpt-4o (read, no
//              write price), deepseek-chat (read, no write), google gemini-1.5-pro (neither)
//   tier       prompt_tokens threshold-1, threshold, threshold+1 (and far above), with the
//              cache tokens inside the prompt: claude-sonnet-4-5 and gemini-2.5-pro at 200000,
//              gemini-1.5-pro and gemini-1.5-flash at 128000, gpt-5.4 at 272000
//   date       start_date rows: openai o3 (2025-06-10), anthropic claude-sonnet-5 (2026-09-01),
//              claude-opus-4-6 and claude-sonnet-4-6 (2026-03-13, tiers only before), google's
//              claude-opus-4-6 (no date, always tiered); instants written with Z, other
//              offsets and no zone
//   time       deepseek-chat and deepseek-reasoner: the 00:30:00Z-16:30:00Z window, inside,
//              outside and on both edges, also in non-UTC offsets
//   request    perplexity sonar, sonar-pro, sonar-reasoning, sonar-reasoning-pro (requests_kcount)
//   reasoning  o3, o4-mini, deepseek-reasoner, gemini-2.5-pro, claude-sonnet-4-5: none, some, all
//   unpriced   models and a provider that data.json does not have
//   resolution reported spellings that only data.json's match rules, an anchored date suffix or
//              a fallback provider price (the model resolution of the domain page)
import { checkExport, usageRecord, writeRecords } from './usage_records.mjs'

const ORG = 'org-oracle-dimensions'

// A record of `dimension` from `c` (usage_records.mjs).
function record(dimension, c) {
  return usageRecord(ORG, dimension, c)
}

// Cache reads and writes in every proportion of the prompt, for models with and without cache prices.
function cacheRecords() {
  const models = [
    ['anthropic', 'claude-3-5-sonnet'],
    ['openai', 'gpt-4o'],
    ['deepseek', 'deepseek-chat'],
    ['google', 'gemini-1.5-pro'],
  ]
  const shapes = [
    { prompt: 0, completion: 0 },
    { prompt: 0, completion: 321 },
    { prompt: 12345, completion: 678 },
    { prompt: 12345, completion: 678, cached: 10000 },
    { prompt: 12345, completion: 678, write: 10000 },
    { prompt: 12345, completion: 678, cached: 6000, write: 6000 },
    { prompt: 12345, completion: 678, cached: 12345 },
    { prompt: 12345, completion: 678, write: 12345 },
    { prompt: 12345, completion: 678, cached: 12000, write: 345 },
    { prompt: 1, completion: 1, cached: 1 },
    { prompt: 1, completion: 1, write: 1 },
    { prompt: 987654, completion: 4321, cached: 876543, write: 100000 },
    { prompt: 100000000, completion: 10000000, cached: 60000000, write: 30000000, reasoning: 9999999 },
  ]
  return models.flatMap(([provider, model]) =>
    shapes.map((s) => record('cache', { provider, model, ...s })))
}

// Prompts just below, at and just above each context tier threshold, split between uncached
// input, cache reads and cache writes in ways that move the total across the threshold.
function tierRecords() {
  const models = [
    ['anthropic', 'claude-sonnet-4-5', 200000],
    ['google', 'gemini-2.5-pro', 200000],
    ['google', 'gemini-1.5-pro', 128000],
    ['google', 'gemini-1.5-flash', 128000],
    ['openai', 'gpt-5.4', 272000],
  ]
  return models.flatMap(([provider, model, t]) => {
    const prompts = [0, 1, t - 1, t, t + 1, t + 2, 2 * t, 1000000]
    const splits = (p) => [
      {},
      { cached: p },
      { write: p },
      { cached: Math.floor(p / 2), write: p - Math.floor(p / 2) },
      { cached: Math.max(p - 1, 0) },
      { cached: Math.floor(p / 3), write: Math.floor(p / 3) },
    ]
    const all = prompts.flatMap((prompt) => splits(prompt).map((split) =>
      record('tier', { provider, model, prompt, completion: 4096, reasoning: 1024, ...split })))
    // Small prompts make some splits equal: keep one record of each.
    return [...new Map(all.map((r) => [r.request_id, r])).values()]
  })
}

// Instants around each start_date (the rows change at that day's 00:00 UTC), written with Z,
// with other UTC offsets and without a zone; each with prompts on both sides of a 200k tier.
function dateRecords() {
  const models = [
    ['openai', 'o3', '2025-06-10'],
    ['anthropic', 'claude-sonnet-5', '2026-09-01'],
    ['anthropic', 'claude-opus-4-6', '2026-03-13'],
    ['anthropic', 'claude-sonnet-4-6', '2026-03-13'],
    ['google', 'claude-opus-4-6', '2026-03-13'],
  ]
  return models.flatMap(([provider, model, day]) => {
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86400000).toISOString().slice(0, 10)
    const instants = [
      '2024-01-01T00:00:00Z',
      `${before}T12:00:00Z`,
      `${before}T23:59:59Z`,
      `${before}T23:59:59.999999Z`,
      `${day}T01:59:59.999+02:00`,
      `${day}T00:00:00Z`,
      `${day}T02:00:00+02:00`,
      `${before}T19:00:00-05:00`,
      `${day} 00:00:00`,
      day,
      `${day}T00:00:00.000001Z`,
      `${day}T12:00:00Z`,
      '2027-01-01T00:00:00Z',
    ]
    const shapes = [
      { prompt: 5000, completion: 2000, cached: 1000, write: 500, reasoning: 1500 },
      { prompt: 200000, completion: 1000, cached: 150000, write: 20000 },
      { prompt: 200001, completion: 1000, cached: 150000, write: 20000 },
    ]
    return instants.flatMap((at) => shapes.map((s) => record('date', { provider, model, at, ...s })))
  })
}

// Instants inside, outside and on both edges of the daily 00:30:00Z-16:30:00Z window.
function timeOfDayRecords() {
  const instants = [
    '2025-03-01T00:00:00Z',
    '2025-03-01T00:29:59Z',
    '2025-03-01T00:29:59.999999Z',
    '2025-03-01T00:30:00Z',
    '2025-03-01T00:30:00.000001Z',
    '2025-03-01T06:00:00+05:30',
    '2025-03-01T06:29:59+05:30',
    '2025-03-01T08:00:00Z',
    '2025-03-01 16:29:59',
    '2025-03-01T16:29:59.999999Z',
    '2025-03-01T16:30:00Z',
    '2025-03-01T16:30:00.000001Z',
    '2025-03-01T11:30:00-05:00',
    '2025-03-01T22:00:00+05:30',
    '2025-03-01T20:00:00Z',
    '2025-03-01T23:59:59.999999Z',
    '2025-03-02T00:30:00+00:00',
    '2025-02-28T19:30:00-05:00',
  ]
  const shapes = [
    { prompt: 10000, completion: 3000 },
    { prompt: 10000, completion: 3000, cached: 8000, reasoning: 2500 },
    { prompt: 10000, completion: 3000, cached: 4000, write: 4000 },
  ]
  return ['deepseek-chat', 'deepseek-reasoner'].flatMap((model) =>
    instants.flatMap((at) => shapes.map((s) => record('time', { provider: 'deepseek', model, at, ...s }))))
}

// Requests with and without tokens for the models with a per-request fee.
function requestRecords() {
  const shapes = [
    { prompt: 0, completion: 0 },
    { prompt: 1, completion: 0 },
    { prompt: 1500, completion: 800 },
    { prompt: 1500, completion: 800, reasoning: 600 },
    { prompt: 300000, completion: 20000, reasoning: 19999 },
  ]
  return ['sonar', 'sonar-pro', 'sonar-reasoning', 'sonar-reasoning-pro'].flatMap((model) =>
    shapes.map((s) => record('request', { provider: 'perplexity', model, ...s })))
}

// Reasoning as none, some and all of the completion: always billed as output here.
function reasoningRecords() {
  const models = [
    ['openai', 'o3'],
    ['openai', 'o4-mini'],
    ['deepseek', 'deepseek-reasoner'],
    ['google', 'gemini-2.5-pro'],
    ['anthropic', 'claude-sonnet-4-5'],
  ]
  const shapes = [
    { prompt: 2000, completion: 5000 },
    { prompt: 2000, completion: 5000, reasoning: 4999 },
    { prompt: 2000, completion: 5000, reasoning: 5000 },
    { prompt: 2000, completion: 1, reasoning: 1 },
    { prompt: 2000, completion: 5000, cached: 1500, reasoning: 2500 },
  ]
  return models.flatMap(([provider, model]) =>
    shapes.map((s) => record('reasoning', { provider, model, at: '2025-07-01T03:00:00Z', ...s })))
}

// Models and a provider that data.json does not price: unpriced on both sides.
function unpricedRecords() {
  const models = [
    ['openai', 'o3-mega'],
    ['openai', 'gpt-4o-2099-01-01x'],
    ['perplexity', 'sonar-ultra'],
    ['deepseek', 'deepseek-coder-v9'],
    ['acme-llm', 'claude-3-5-sonnet'],
  ]
  return models.map(([provider, model]) =>
    record('unpriced', { provider, model, prompt: 1000, completion: 100, cached: 200 }))
}

// Reported spellings that only model resolution prices: match rules, a date suffix, a fallback provider.
function resolutionRecords() {
  const cases = [
    ['openai', 'o3-2025-04-16', '2025-06-09T12:00:00Z'],
    ['openai', 'o3-2025-04-16', '2025-06-10T12:00:00Z'],
    ['openai', 'gpt-4o-2024-08-06', '2025-08-01T12:00:00Z'],
    ['anthropic', 'claude-3-5-sonnet-20241022', '2025-08-01T12:00:00Z'],
    ['google', 'claude-sonnet-4-6', '2026-04-01T12:00:00Z'],
  ]
  return cases.map(([provider, model, at]) => record('resolution', {
    provider, model, at, prompt: 5000, completion: 2000, cached: 1000, write: 500, reasoning: 1500,
  }))
}

// Every record of the set, in a fixed order.
function allRecords() {
  return [
    ...cacheRecords(), ...tierRecords(), ...dateRecords(), ...timeOfDayRecords(),
    ...requestRecords(), ...reasoningRecords(), ...unpricedRecords(), ...resolutionRecords(),
  ]
}

// Writes the records, or checks an export of them; prints what the set covers.
function main([command, path]) {
  const records = allRecords()
  if (command === 'write' && path) {
    writeRecords(path, records)
    const byDimension = {}
    for (const r of records) byDimension[r.project_id] = (byDimension[r.project_id] ?? 0) + 1
    const models = new Set(records.map((r) => `${r.provider}/${r.model}`))
    console.log(`${records.length} records, ${models.size} provider/model spellings: ${JSON.stringify(byDimension)}`)
  } else if (command === 'check' && path) {
    checkExport(path, ORG, records)
  } else {
    console.error('usage: node make_dimension_records.mjs write OUT.ndjson | check EXPORTED.json')
    process.exitCode = 2
  }
}

main(process.argv.slice(2))

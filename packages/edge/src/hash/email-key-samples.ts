// Test data, imported by tests only: messy addresses and the profile key the Worker gave each before issue 22
// gathered the email key into src/hash/email-key.ts. The Worker (src/hash/stored-values.test.ts) and `attune import`
// (src/cli/email-key.test.ts) are both held to these keys: a drift would split imported customers from their profiles.
export const EMAIL_KEYS: [raw: string, key: string][] = [
  ['ada@example.com', 'u:sha256:b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72'],
  ['  Ada@Example.COM ', 'u:sha256:b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72'],
  ['ADA+News@Example.com', 'u:sha256:542e0137136247e3b3235996d4b892291284c8da09d4013634e496206a6d2dc2'], // plus addressing is kept
  ['Zoë.Ünïcode@Example.de', 'u:sha256:c0ab55c1eb2846e716c859709609b433a051fb2fdea0f8293701555a14831f5a'],
  ['İstanbul@example.com', 'u:sha256:21b3d4ad954ffe193659bcdcff92053ab646244b3898969a09265d00b2af7ba4'], // İ lower-cases to i + U+0307
  ['\tgrace.hopper@NAVY.mil\n', 'u:sha256:1557a2e38fd06cafafc236543a9bd7ecacf24e82601bb5a440b8bfc0c538facc'],
  ['ＦＵＬＬ@example.com', 'u:sha256:c62ac48800e8d116865f3ef59116b0840dbc7216e8cf68feab07fa7b16fe9fed'], // full-width stays full-width
  ['Straße@example.de', 'u:sha256:7281afd3f5258ca191a9347070596d1b23a3e58e8f2f0006c165750bd98723aa'], // ß is not folded to ss
  ["o'brien@example.ie", 'u:sha256:e26868db901d80db302fd874cb1ec46b84bff238584179ec598ce23f423e91b3'],
];

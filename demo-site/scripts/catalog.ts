// The demo store's catalog: ~200 skin-care products, the same every run (seeded PRNG), with small generated
// SVG images. Products come in brand lines (a cleanser, a serum and a cream of "Dew Drop" are made for dry
// skin), which gives shoppers' baskets the structure a real store has and the benchmark something to find.
// `node demo-site/scripts/generate-catalog.mjs` writes demo-site/catalog/products.json and the images;
// a test checks the committed files are what this produces.
import type { Product } from '../../packages/edge/src/contract/catalog.js';
import { seededRandom } from '../../packages/edge/src/stats/random.js';

export const SKIN_TYPES = ['dry', 'oily', 'combination', 'sensitive', 'normal'] as const;
export type SkinType = (typeof SKIN_TYPES)[number];

export const CATEGORIES = [
  { id: 'cleansers', noun: ['Cleanser', 'Cleansing Gel', 'Cleansing Balm', 'Foaming Wash'], shape: 'pump', base: 14 },
  { id: 'toners', noun: ['Toner', 'Essence', 'Tonic Mist'], shape: 'bottle', base: 16 },
  { id: 'serums', noun: ['Serum', 'Concentrate', 'Booster Drops'], shape: 'dropper', base: 28 },
  { id: 'moisturizers', noun: ['Cream', 'Gel Cream', 'Lotion', 'Rich Cream'], shape: 'jar', base: 24 },
  { id: 'masks', noun: ['Mask', 'Sleeping Mask', 'Clay Mask'], shape: 'jar', base: 20 },
  { id: 'sunscreens', noun: ['Sun Fluid SPF 50', 'Daily Sunscreen SPF 30', 'Mineral SPF 50'], shape: 'tube', base: 19 },
  { id: 'eye-care', noun: ['Eye Cream', 'Eye Gel', 'Eye Serum'], shape: 'tube', base: 26 },
  { id: 'exfoliators', noun: ['Exfoliant', 'Peel Pads', 'Polish'], shape: 'bottle', base: 18 },
] as const;

/** Brand lines: each made for one skin type (sometimes two) and a couple of concerns. */
const LINES: { name: string; skin: SkinType[]; tags: string[]; hue: number; price: number }[] = [
  { name: 'Dew Drop', skin: ['dry'], tags: ['hydrating', 'hyaluronic-acid'], hue: 200, price: 1 },
  { name: 'Velvet Barrier', skin: ['dry', 'sensitive'], tags: ['hydrating', 'ceramides', 'fragrance-free'], hue: 30, price: 1.3 },
  { name: 'Oat Comfort', skin: ['sensitive'], tags: ['calming', 'fragrance-free'], hue: 45, price: 0.8 },
  { name: 'Still Water', skin: ['sensitive', 'normal'], tags: ['calming', 'fragrance-free', 'minimal'], hue: 180, price: 1 },
  { name: 'Clear Balance', skin: ['oily'], tags: ['oil-control', 'niacinamide'], hue: 140, price: 0.9 },
  { name: 'Blemish Rescue', skin: ['oily', 'combination'], tags: ['acne', 'salicylic'], hue: 100, price: 0.8 },
  { name: 'Matte Tide', skin: ['oily'], tags: ['oil-control', 'acne', 'salicylic'], hue: 160, price: 1.1 },
  { name: 'Zone Harmony', skin: ['combination'], tags: ['niacinamide', 'hydrating'], hue: 260, price: 1 },
  { name: 'Split Sky', skin: ['combination'], tags: ['oil-control', 'brightening'], hue: 220, price: 1.2 },
  { name: 'Daily Ground', skin: ['normal'], tags: ['minimal', 'hydrating'], hue: 90, price: 0.7 },
  { name: 'Citrus Glow', skin: ['normal', 'combination'], tags: ['brightening', 'vitamin-c'], hue: 35, price: 1.2 },
  { name: 'Night Renew', skin: ['normal', 'dry'], tags: ['anti-aging', 'retinol'], hue: 280, price: 1.6 },
  { name: 'Time Thread', skin: ['dry'], tags: ['anti-aging', 'peptides'], hue: 320, price: 1.9 },
  { name: 'Bright Theory', skin: ['oily', 'normal'], tags: ['brightening', 'vitamin-c'], hue: 50, price: 1.1 },
  { name: 'Calm Cica', skin: ['sensitive', 'combination'], tags: ['calming', 'centella'], hue: 120, price: 1 },
];

/** The product's seeded PRNG (mulberry32), so the catalog (and its images) are identical on every machine. */
export const prng = seededRandom;

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const priceBand = (price: number) => (price < 20 ? 'low' : price <= 40 ? 'mid' : 'high');

export interface DemoCatalog {
  products: Product[];
  /** file name under demo-site/public/img/products/ → SVG text */
  images: Map<string, string>;
}

export function generateDemoCatalog(seed = 20260401, perCategory = 25): DemoCatalog {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const products: Product[] = [];
  const images = new Map<string, string>();
  const descriptors = ['Gentle', 'Daily', 'Soft', 'Pure', 'Deep', 'Light', 'Rich', 'Fresh', 'Silk', 'Bare'];
  for (const cat of CATEGORIES) {
    for (let i = 0; i < perCategory; i++) {
      // Every line gets at least one product per category (cross-sell routines), then random lines.
      const line = i < LINES.length ? LINES[i]! : pick(LINES);
      const name = `${line.name} ${pick(descriptors)} ${pick(cat.noun)}`;
      const id = `${slug(cat.id).slice(0, 3)}-${String(i + 1).padStart(3, '0')}`;
      const price = Math.round(cat.base * line.price * (0.75 + rnd() * 0.6)) + 0.9;
      const concern = rnd() < 0.3 ? [pick(['hydrating', 'calming', 'brightening', 'oil-control', 'anti-aging'])] : [];
      const tags = [...new Set([...line.tags, ...concern, ...line.skin.map((s) => `${s}-skin`), ...(cat.id === 'sunscreens' ? ['spf'] : [])])];
      const day = Math.floor(rnd() * 1185); // 2023-01-01 … 2026-03-31
      products.push({
        id,
        name,
        url: `/products/${id}`,
        image: `/img/products/${id}.svg`,
        price,
        currency: 'EUR',
        categories: [cat.id],
        tags,
        attributes: { skinType: [...line.skin], priceBand: priceBand(price), line: slug(line.name) },
        inStock: rnd() > 0.08,
        launchedAt: new Date(Date.UTC(2023, 0, 1) + day * 86_400_000).toISOString().slice(0, 10),
      });
      images.set(`${id}.svg`, svg(cat.shape, line.hue, line.name));
    }
  }
  return { products, images };
}

/** A flat product shot: a pastel card, the container's silhouette, the line's initials. ~500 bytes. */
function svg(shape: string, hue: number, line: string): string {
  const bg = `hsl(${hue} 45% 92%)`;
  const fg = `hsl(${hue} 35% 55%)`;
  const cap = `hsl(${hue} 25% 30%)`;
  const body: Record<string, string> = {
    pump: `<rect x="70" y="80" width="60" height="95" rx="10" fill="${fg}"/><rect x="90" y="55" width="20" height="25" fill="${cap}"/><rect x="90" y="50" width="30" height="8" fill="${cap}"/>`,
    bottle: `<rect x="68" y="70" width="64" height="105" rx="14" fill="${fg}"/><rect x="86" y="48" width="28" height="24" rx="3" fill="${cap}"/>`,
    dropper: `<rect x="74" y="90" width="52" height="85" rx="8" fill="${fg}"/><rect x="88" y="62" width="24" height="28" fill="${cap}"/><ellipse cx="100" cy="55" rx="10" ry="12" fill="${cap}"/>`,
    jar: `<rect x="55" y="110" width="90" height="65" rx="12" fill="${fg}"/><rect x="52" y="92" width="96" height="22" rx="6" fill="${cap}"/>`,
    tube: `<path d="M78 60h44l-6 115h-32z" fill="${fg}"/><rect x="84" y="175" width="32" height="12" rx="2" fill="${cap}"/>`,
  };
  const initials = line.split(' ').map((w) => w[0]).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="${line}"><rect width="200" height="200" fill="${bg}"/>${body[shape]}<text x="100" y="${shape === 'jar' ? 148 : 135}" font-family="sans-serif" font-size="16" font-weight="700" fill="#fff" text-anchor="middle">${initials}</text></svg>\n`;
}

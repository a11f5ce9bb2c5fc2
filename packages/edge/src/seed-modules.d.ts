// The build's seed files, imported as data modules (wrangler.toml's [[rules]] type "Data"; esbuild's binary loader
// where startDev bundles): their bytes.
declare module '*.json.gz' {
  const bytes: ArrayBuffer | Uint8Array<ArrayBuffer>;
  export default bytes;
}

// Vite's `?raw` imports (tests compare SQL files with the schema the Worker applies).
declare module '*.sql?raw' {
  const text: string;
  export default text;
}

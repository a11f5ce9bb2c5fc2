import type { Browser, Page } from 'playwright-core';
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare function requireChromium(): void;
export declare const launchChromium: (extraArgs?: string[]) => Promise<Browser>;
export declare function errorsIn(pages: Page[]): Promise<string[]>;

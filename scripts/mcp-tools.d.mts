export const TOOLS_FILE: string;
export const REGENERATE: string;
export function listedTools(): Promise<string>;

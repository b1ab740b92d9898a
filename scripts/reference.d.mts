export const REFERENCE_DIR: string;
export const REGENERATE: string;
export function pageName(path: string): string;
export function referencePages(): Promise<Map<string, string>>;

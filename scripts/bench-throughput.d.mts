export function writeRecords(stateDir: string, n: number): void;

export const VALIDATORS: Record<string, string>;
export function generateValidators(): Promise<string>;

// Types of the generated validators (see scripts/gen-validators.mjs).
export interface ValidationError {
  instancePath: string;
  keyword?: string;
  params?: { missingProperty?: string };
  message?: string;
}
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidationError[] | null;
}
export const webhookPublic: Validator;
export const webhookWithSecret: Validator;
export const webhookList: Validator;
export const webhookDelete: Validator;
export const testEventResponse: Validator;
export const deliveryList: Validator;

// DomainError: an expected business failure with a stable, namespaced code that survives serialization.
export type ErrorNamespace = 'SALES' | 'CUSTOMER' | 'FULFILLMENT' | 'MARKETPLACE';

export type ErrorCode = `${ErrorNamespace}.${string}`;

export interface DomainError<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly message: string;
}

export const domainError = <C extends ErrorCode>(code: C, message: string): DomainError<C> => ({ code, message });

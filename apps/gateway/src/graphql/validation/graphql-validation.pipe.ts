import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { CLASS_TYPE_METADATA } from '@nestjs/graphql';
import { DomainError, ErrorCategory } from '@libs/contracts';

export const INVALID_INPUT = 'INVALID_INPUT';

/** @nestjs/graphql marks @InputType() and @ArgsType() classes with these. */
const GRAPHQL_INPUT_CLASS_TYPES = new Set(['inputType', 'args']);
const MAX_REPORTED_PROBLEMS = 10;

/**
 * class-validator for GraphQL arguments, registered app-wide but acting only on @InputType()
 * and @ArgsType() classes: the same app serves HTTP ingresses whose bodies it must not touch.
 * Failures become DomainError INVALID_INPUT (→ BAD_USER_INPUT), naming each field.
 *
 * Nested input objects need `@ValidateNested()` and `@Type(() => Child)` to be checked.
 */
@Injectable()
export class GraphqlValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: false,
      forbidUnknownValues: false,
      stopAtFirstError: false,
      exceptionFactory: (errors) => invalidInput(errors),
    });
  }

  /** Judges only: resolvers get the arguments exactly as GraphQL built them. */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    await super.transform(value, metadata);
    return value;
  }

  protected override toValidate(metadata: ArgumentMetadata): boolean {
    const classType = metadata.metatype ? Reflect.getMetadata(CLASS_TYPE_METADATA, metadata.metatype) : undefined;
    return GRAPHQL_INPUT_CLASS_TYPES.has(classType) && super.toValidate(metadata);
  }
}

export function invalidInput(errors: ValidationError[]): DomainError {
  const problems = flatten(errors, '');
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  return new DomainError(INVALID_INPUT, ErrorCategory.Invalid, `Invalid input: ${shown.join('; ')}${more}.`);
}

function flatten(errors: ValidationError[], parent: string): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    // class-validator's messages start with the property name; show the full path instead.
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

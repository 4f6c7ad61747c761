import { ArgumentMetadata } from '@nestjs/common';
import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { AccountInput } from '../accounts/account.input';
import { GraphqlValidationPipe, INVALID_INPUT } from './graphql-validation.pipe';

class HttpBody {
  @IsString()
  @MaxLength(1)
  name!: string;
}

@InputType('ProbeInput')
class ProbeInput {
  @Field(() => String)
  @IsString()
  @MaxLength(3)
  name!: string;
}

const asArgs = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype, data: 'input' });

describe('GraphqlValidationPipe', () => {
  const pipe = new GraphqlValidationPipe();

  it('passes valid GraphQL input through unchanged', async () => {
    const input = { email: 'a@example.com', displayName: 'A' };
    await expect(pipe.transform(input, asArgs(AccountInput))).resolves.toBe(input);
  });

  it('refuses oversized GraphQL input with INVALID_INPUT naming every field', async () => {
    const error = await pipe
      .transform({ email: 'e'.repeat(300), displayName: 'd'.repeat(201), previousEmails: Array(51).fill('p@example.com') }, asArgs(AccountInput))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: INVALID_INPUT, category: ErrorCategory.Invalid });
    const message = (error as DomainError).message;
    expect(message).toMatch(/^Invalid input: /);
    expect(message).toContain('email must be shorter than or equal to 254 characters');
    expect(message).toContain('displayName must be shorter than or equal to 200 characters');
    expect(message).toContain('previousEmails must contain no more than 50 elements');
  });

  it('validates any @InputType class', async () => {
    await expect(pipe.transform({ name: 'long' }, asArgs(ProbeInput))).rejects.toMatchObject({ code: INVALID_INPUT });
  });

  it('leaves HTTP bodies and scalars alone: other transports validate their own way', async () => {
    await expect(pipe.transform({ name: 'too long' }, asArgs(HttpBody))).resolves.toEqual({ name: 'too long' });
    await expect(pipe.transform('x'.repeat(10_000), asArgs(String))).resolves.toHaveLength(10_000);
  });
});

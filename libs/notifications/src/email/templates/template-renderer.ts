import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { DEFAULT_TEMPLATES } from './default-templates';
import { RenderedEmail, TEMPLATE_KINDS, TEMPLATE_PARTS, TemplateData, TemplateKind, TemplatePart, TemplateSelector } from './template-data';
import { registerTemplateHelpers } from './template-helpers';

export interface TemplateRendererOptions {
  /**
   * Custom templates, changed without a code change (read once per process: restart to pick up
   * edits). For each part, the first file found wins:
   *   {dir}/campaigns/{campaign}/{kind}.{part}.hbs
   *   {dir}/use-cases/{useCase}/{kind}.{part}.hbs
   *   {dir}/default/{kind}.{part}.hbs
   *   then the built-in template (default-templates.ts).
   * `part` is subject, text or html; each is resolved on its own.
   */
  templatesDir?: string | null;
}

export const MAX_SUBJECT_CHARS = 200;
/** Campaign and use-case names used as directory names: nothing that could climb out of templatesDir. */
const SAFE_NAME = /^[a-z0-9_-]{1,100}$/;
/** Bounds the lookups remembered for campaign and use-case names seen so far. */
const MAX_RESOLUTIONS = 1000;

/** A template that cannot be compiled or rendered, named by its file (or `built-in:{kind}.{part}`). */
export class TemplateError extends Error {
  constructor(
    readonly template: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Template ${template}: ${message}`, options);
    this.name = 'TemplateError';
  }
}

interface CompiledTemplate {
  origin: string;
  render: Handlebars.TemplateDelegate<TemplateData>;
}

/**
 * Renders notification emails with Handlebars: HTML-escaped in the html part, verbatim in the text
 * and the subject (which mail headers encode on their own).
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templatesDir: string | null;
  private readonly compiled = new Map<string, CompiledTemplate>();
  private readonly resolved = new Map<string, CompiledTemplate>();

  constructor(options: TemplateRendererOptions = {}) {
    this.templatesDir = options.templatesDir || null;
    registerTemplateHelpers(this.handlebars);
  }

  render(kind: TemplateKind, selector: TemplateSelector, data: TemplateData): RenderedEmail {
    if (!TEMPLATE_KINDS.includes(kind)) throw new Error(`Unknown notification template kind ${JSON.stringify(kind)}`);
    const [subject, text, html] = TEMPLATE_PARTS.map((part) => this.renderPart(kind, part, selector, data));
    return { subject: toSubjectLine(subject), text, html };
  }

  private renderPart(kind: TemplateKind, part: TemplatePart, selector: TemplateSelector, data: TemplateData): string {
    const template = this.resolve(kind, part, selector);
    try {
      return template.render(data);
    } catch (error) {
      throw new TemplateError(template.origin, `cannot be rendered: ${(error as Error).message}`, { cause: error });
    }
  }

  private resolve(kind: TemplateKind, part: TemplatePart, selector: TemplateSelector): CompiledTemplate {
    const campaign = safeName(selector.campaign);
    const useCase = safeName(selector.useCase);
    const key = `${kind}.${part}|${campaign ?? ''}|${useCase ?? ''}`;
    const cached = this.resolved.get(key);
    if (cached) return cached;

    const file = this.findFile(`${kind}.${part}.hbs`, campaign, useCase);
    const template = file
      ? this.compile(file, part, () => readFileSync(file, 'utf8'))
      : this.compile(`built-in:${kind}.${part}`, part, () => DEFAULT_TEMPLATES[kind][part]);
    if (this.resolved.size >= MAX_RESOLUTIONS) this.resolved.delete(this.resolved.keys().next().value as string);
    this.resolved.set(key, template);
    return template;
  }

  private findFile(fileName: string, campaign: string | null, useCase: string | null): string | null {
    if (!this.templatesDir) return null;
    const candidates = [
      campaign && join(this.templatesDir, 'campaigns', campaign, fileName),
      useCase && join(this.templatesDir, 'use-cases', useCase, fileName),
      join(this.templatesDir, 'default', fileName),
    ];
    return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate)) ?? null;
  }

  /** Once per file: parsed eagerly, so a syntax error names its file before anything is sent. */
  private compile(origin: string, part: TemplatePart, source: () => string): CompiledTemplate {
    const cached = this.compiled.get(origin);
    if (cached) return cached;
    let render: Handlebars.TemplateDelegate<TemplateData>;
    try {
      const ast = this.handlebars.parse(source());
      render = this.handlebars.compile<TemplateData>(ast, { noEscape: part !== 'html' });
    } catch (error) {
      throw new TemplateError(origin, `cannot be compiled: ${(error as Error).message}`, { cause: error });
    }
    const template = { origin, render };
    this.compiled.set(origin, template);
    return template;
  }
}

function safeName(name: string | null | undefined): string | null {
  return typeof name === 'string' && SAFE_NAME.test(name) ? name : null;
}

/** A Subject header: one line, no control characters, at most MAX_SUBJECT_CHARS characters. */
export function toSubjectLine(value: string): string {
  const line = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= MAX_SUBJECT_CHARS ? line : `${chars.slice(0, MAX_SUBJECT_CHARS - 1).join('').trimEnd()}…`;
}

import { FieldNode, GraphQLError, Kind, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';

export interface DepthLimits {
  /** Nested field levels of an operation (`{ me { id } }` has depth 2). */
  maxDepth: number;
  /**
   * For `__schema` / `__type`: the standard introspection query that tools such as GraphiQL send
   * nests deeper than any real query (its TypeRef fragment), yet introspection types nest without
   * end (`fields { type { fields … } } }`), so it gets its own, still finite, budget.
   */
  maxIntrospectionDepth: number;
}

/**
 * Refuses operations whose fields nest too deep. Fragments count where they are spread; inline
 * fragments and fragment spreads add no level themselves.
 */
export function depthLimitRule({ maxDepth, maxIntrospectionDepth }: DepthLimits): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentDepths = new Map<string, number>();

    const depthOf = (selectionSet: SelectionSetNode | undefined, visiting: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visiting));
        else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
        else deepest = Math.max(deepest, fragmentDepth(selection.name.value, visiting));
      }
      return deepest;
    };

    // Memoised, so a fragment spread many times is measured once; a cycle (reported by
    // graphql-js's own NoFragmentCycles rule) counts as depth 0 here instead of looping.
    const fragmentDepth = (name: string, visiting: Set<string>): number => {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      if (!fragment || visiting.has(name)) return 0;
      visiting.add(name);
      const depth = depthOf(fragment.selectionSet, visiting);
      visiting.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    };

    /** The operation's root fields, through fragments at the root. */
    const rootFields = (selectionSet: SelectionSetNode, visiting: Set<string>): FieldNode[] =>
      selectionSet.selections.flatMap((selection) => {
        if (selection.kind === Kind.FIELD) return [selection];
        if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, visiting);
        const fragment = context.getFragment(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) return [];
        return rootFields(fragment.selectionSet, new Set([...visiting, fragment.name.value]));
      });

    return {
      OperationDefinition(operation) {
        let regular = 0;
        let introspection = 0;
        for (const field of rootFields(operation.selectionSet, new Set())) {
          const depth = 1 + depthOf(field.selectionSet, new Set());
          if (field.name.value.startsWith('__')) introspection = Math.max(introspection, depth);
          else regular = Math.max(regular, depth);
        }
        const name = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        if (regular > maxDepth) {
          context.reportError(
            new GraphQLError(`${name} is too deep: its fields nest ${regular} levels, the maximum is ${maxDepth}.`, { nodes: [operation] }),
          );
        }
        if (introspection > maxIntrospectionDepth) {
          context.reportError(
            new GraphQLError(`${name} is too deep: its introspection fields nest ${introspection} levels, the maximum is ${maxIntrospectionDepth}.`, {
              nodes: [operation],
            }),
          );
        }
      },
    };
  };
}

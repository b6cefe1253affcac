/**
 * Grouping accuracy (GA) as the loghub benchmark defines it: a line is parsed correctly
 * when the set of lines the parser grouped it with is exactly the set its ground truth
 * groups it with. GA is the share of lines parsed correctly.
 */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length)
    throw new RangeError(`grouping accuracy needs one label per line: ${predicted.length} predicted, ${truth.length} true`)
  if (truth.length === 0) return 1
  const truthSizes = new Map<string, number>()
  for (const label of truth) truthSizes.set(label, (truthSizes.get(label) ?? 0) + 1)
  // For each predicted group: its size, and the one true label all its lines share (or null).
  const groups = new Map<string, { size: number; label: string | null }>()
  for (let i = 0; i < predicted.length; i++) {
    const group = groups.get(predicted[i])
    if (!group) groups.set(predicted[i], { size: 1, label: truth[i] })
    else {
      group.size++
      if (group.label !== truth[i]) group.label = null
    }
  }
  let correct = 0
  for (const { size, label } of groups.values()) if (label !== null && truthSizes.get(label) === size) correct += size
  return correct / truth.length
}

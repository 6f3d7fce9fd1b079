package io.igw.picker.kvcache;

/**
 * The index's counts at one moment.
 *
 * @param endpoints endpoints with a live view in the index
 * @param entries entries lookups see (picker blocks held, a block two endpoints hold counting
 *     twice)
 * @param reclaiming leftover entries of cleared or removed endpoints not yet reclaimed
 * @param storedBlocks engine blocks indexed from BlockStored since start
 * @param removedBlocks engine blocks removed by BlockRemoved
 * @param budgetEvictions entries dropped because the index was at its budget
 * @param orphanStores BlockStored events skipped because their parent block was unknown
 * @param mismatchedStores BlockStored events skipped because their tokens did not fill their
 *     blocks, or their block size was not a multiple of the picker's
 * @param unknownRemovals removed engine blocks the index did not hold
 * @param clears endpoints cleared (engine restarts, AllBlocksCleared)
 */
public record KvIndexStats(
    int endpoints,
    long entries,
    long reclaiming,
    long storedBlocks,
    long removedBlocks,
    long budgetEvictions,
    long orphanStores,
    long mismatchedStores,
    long unknownRemovals,
    long clears) {}

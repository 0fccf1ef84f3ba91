package dev.natrecon.engine;

import java.util.concurrent.BlockingQueue;

/**
 * A stage's consumer side giving the batches it has finished with back to their producer a group at a time: a
 * producer that waits for an empty batch is woken once per group, and then fills the whole group in one go, instead
 * of being woken (a park, an unpark and a thread switch on each side) for every batch. The producer runs ahead by
 * as many batches as before at the start and by at least {@code batches - group - 1} while the consumer holds a part
 * of a group back, so a stage needs more batches than the group (with fewer, the producer could wait for a group
 * the consumer can only complete with a batch the producer has not filled yet).
 *
 * <p>Only the consumer's thread calls {@link #give}: the held batches are its own until the group is complete.
 */
final class HandBack<T> {
    private final BlockingQueue<T> empty;
    private final Object[] held;
    private int count;

    /** Gives batches back to {@code empty} in groups of {@code group}; {@code batches} is how many the stage has. */
    HandBack(BlockingQueue<T> empty, int group, int batches) {
        if (group < 1 || group + 1 >= batches) {
            throw new IllegalArgumentException("a group of " + group + " needs more than " + (group + 1) + " batches");
        }
        this.empty = empty;
        this.held = new Object[group];
    }

    /** The consumer has finished with {@code batch}: given back with the rest of its group. */
    @SuppressWarnings("unchecked")
    void give(T batch) {
        held[count++] = batch;
        if (count < held.length) return;
        for (int i = 0; i < count; i++) {
            empty.add((T) held[i]);
            held[i] = null;
        }
        count = 0;
    }
}

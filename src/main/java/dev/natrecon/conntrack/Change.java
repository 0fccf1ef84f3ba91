package dev.natrecon.conntrack;

/** What an {@link ConntrackEvent.EntryUpdated} changed (the kernel's IPCT_REPLY, IPCT_ASSURED, IPCT_PROTOINFO). */
public enum Change {
    SEEN_REPLY, ASSURED, STATE
}

package dev.natrecon.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Container} that lists its own members and keeps, for its latest listing, a row for each thing it left out,
 * named {@code label!member} (or the container's label alone when the listing itself broke off). Folders, zips and
 * tars share this bookkeeping; only their reasons differ.
 */
abstract class ListingContainer implements Container {
    /** Why a repeated member name is left out: the archive's first member of that name is the one used. */
    static final String SECOND_MEMBER = "a second member of the same name; the first one is used";

    private final List<CaseDiscovery.Unmatched> rejected = new ArrayList<>();

    /** Starts a listing: the previous listing's rows are forgotten. */
    final void newListing() {
        rejected.clear();
    }

    /** {@code member} is left out for {@code why}; the case it belongs to can still run. */
    final void reject(String member, String why) {
        rejected.add(new CaseDiscovery.Unmatched(label() + "!" + member, why));
    }

    /** {@code member} could not be read ({@code why}): a broken row. */
    final void rejectBroken(String member, String why) {
        rejected.add(new CaseDiscovery.Unmatched(label() + "!" + member, why, true));
    }

    /** The listing broke off ({@code why}): a broken row for the whole container. */
    final void rejectRest(String why) {
        rejected.add(new CaseDiscovery.Unmatched(label(), why, true));
    }

    @Override
    public final List<CaseDiscovery.Unmatched> rejected() {
        return List.copyOf(rejected);
    }
}

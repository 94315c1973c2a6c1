package io.sluice.boot.web.resources;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The files of the static locations, found by relative path in the first location that has them, and kept
 * once read within a memory budget.
 *
 * <p>Lookups of kept files are lock-free. The budget counts each kept file's content plus
 * {@value #OVERHEAD_PER_FILE} bytes for its headers and key; once it is spent, further files are read on
 * each request instead of kept, so memory stays bounded whatever paths clients try. Misses are not kept:
 * a path that names no file costs a lookup in each location every time, and nothing else.
 */
final class StaticFiles {

    private static final Logger log = LoggerFactory.getLogger(StaticFiles.class);

    /** What a kept file costs besides its content: its headers, prebuilt responses and map entry. */
    static final int OVERHEAD_PER_FILE = 1024;

    private final List<Resource> locations;
    private final MediaTypes mediaTypes;
    private final StaticFile.ResponsePolicy policy;
    private final int maxFileSizeInMemory;
    private final long budget;
    private final Map<String, StaticFile> kept = new ConcurrentHashMap<>();
    /** Budget in use; guarded by {@code this}, like every change to {@link #kept}. */
    private long used;

    /**
     * @param locations           where files are looked for, in order; each a folder
     * @param maxFileSizeInMemory largest file whose content is kept (and hashed for its ETag)
     * @param budget              most bytes kept in all, see the class comment
     */
    StaticFiles(List<Resource> locations, MediaTypes mediaTypes, StaticFile.ResponsePolicy policy,
            int maxFileSizeInMemory, long budget) {
        this.locations = List.copyOf(locations);
        this.mediaTypes = mediaTypes;
        this.policy = policy;
        this.maxFileSizeInMemory = maxFileSizeInMemory;
        this.budget = budget;
    }

    /**
     * The file at {@code relativePath} (a path {@link StaticPath} accepted, not naming a folder), or
     * {@code null} when no location has a readable file there.
     *
     * @throws IOException when a file that was found cannot be read
     */
    StaticFile find(String relativePath) throws IOException {
        StaticFile known = kept.get(relativePath);
        if (known != null && !known.hasChanged()) {
            return known;
        }
        Resource resource = locate(relativePath);
        if (resource == null) {
            if (known != null) {
                forget(relativePath, known);
            }
            return null;
        }
        StaticFile file = StaticFile.read(resource, mediaTypes.forPath(relativePath), policy, maxFileSizeInMemory);
        keep(relativePath, file);
        return file;
    }

    private Resource locate(String relativePath) {
        for (Resource location : locations) {
            try {
                Resource candidate = location.createRelative(relativePath);
                // isReadable() is false for folders, in jars and on file systems alike.
                if (candidate.isReadable() && isWithin(candidate, location)) {
                    return candidate;
                }
            } catch (IOException e) {
                log.debug("Cannot look up {} in {}", relativePath, location, e);
            }
        }
        return null;
    }

    /**
     * A second line of defence behind {@link StaticPath}, which already refuses every path that could leave
     * the location: the found resource must lie under the location it was looked up in.
     */
    private static boolean isWithin(Resource candidate, Resource location) throws IOException {
        if (location instanceof ClassPathResource folder && candidate instanceof ClassPathResource file) {
            return file.getPath().startsWith(folder.getPath());
        }
        return candidate.getURL().toExternalForm().startsWith(location.getURL().toExternalForm());
    }

    private synchronized void keep(String relativePath, StaticFile file) {
        StaticFile previous = kept.remove(relativePath);
        if (previous != null) {
            used -= cost(relativePath, previous);
        }
        long cost = cost(relativePath, file);
        if (used + cost <= budget) {
            kept.put(relativePath, file);
            used += cost;
        }
    }

    private synchronized void forget(String relativePath, StaticFile file) {
        if (kept.remove(relativePath, file)) {
            used -= cost(relativePath, file);
        }
    }

    private static long cost(String relativePath, StaticFile file) {
        return OVERHEAD_PER_FILE + 2L * relativePath.length() + file.bytesInMemory();
    }

    /** Bytes of the budget in use. */
    synchronized long bytesKept() {
        return used;
    }

    List<Resource> locations() {
        return locations;
    }
}

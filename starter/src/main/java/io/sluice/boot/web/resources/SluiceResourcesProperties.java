package io.sluice.boot.web.resources;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Sluice's settings for static content, under {@code sluice.web.resources}. Where static content comes from
 * and how clients may cache it are Boot's own keys, {@code spring.web.resources.*}; these only say how much
 * of it the server keeps in memory.
 */
@ConfigurationProperties("sluice.web.resources")
public class SluiceResourcesProperties {

    private final InMemory inMemory = new InMemory();

    public InMemory getInMemory() {
        return inMemory;
    }

    /** Static files kept in memory once read, so that serving them reads nothing. */
    public static class InMemory {

        /**
         * Largest static file kept in memory, and identified by a hash of its content in its ETag; larger files
         * are streamed from their location on each request and identified by their length and modification time.
         */
        private DataSize maxFileSize = DataSize.ofMegabytes(1);

        /**
         * Most memory static files may take in all, each counted with 1 KB for its headers; once it is used, further
         * files are read on each request. 0 keeps none.
         */
        private DataSize maxTotalSize = DataSize.ofMegabytes(16);

        public DataSize getMaxFileSize() {
            return maxFileSize;
        }

        public void setMaxFileSize(DataSize maxFileSize) {
            this.maxFileSize = maxFileSize;
        }

        public DataSize getMaxTotalSize() {
            return maxTotalSize;
        }

        public void setMaxTotalSize(DataSize maxTotalSize) {
            this.maxTotalSize = maxTotalSize;
        }
    }
}

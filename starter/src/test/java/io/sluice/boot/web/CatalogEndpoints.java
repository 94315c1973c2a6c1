package io.sluice.boot.web;

import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.boot.web.annotation.Body;
import io.sluice.boot.web.annotation.Delete;
import io.sluice.boot.web.annotation.ErrorStatus;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.Header;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.web.annotation.Patch;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.Post;
import io.sluice.boot.web.annotation.Put;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** A small item catalogue using every parameter and return kind; the integration tests' application. */
@SluiceController("/catalog")
public class CatalogEndpoints {

    public record Item(String name, int price) {
    }

    public record StoredItem(long id, String name, int price) {
    }

    @ErrorStatus(404)
    public static class NoSuchItemException extends RuntimeException {
        public NoSuchItemException(long id) {
            super("No item " + id);
        }
    }

    private final ConcurrentMap<Long, StoredItem> items = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Post("/items")
    public Reply<StoredItem> create(@Body Item item) {
        StoredItem stored = new StoredItem(ids.incrementAndGet(), item.name(), item.price());
        items.put(stored.id(), stored);
        return Reply.created("/catalog/items/" + stored.id(), stored);
    }

    @Get("/items/{id}")
    public StoredItem find(@PathVar long id) {
        StoredItem item = items.get(id);
        if (item == null) {
            throw new NoSuchItemException(id);
        }
        return item;
    }

    @Get("/items")
    public List<StoredItem> list(@QueryParam(defaultValue = "0") int minPrice,
            @QueryParam(required = false) Optional<String> prefix) {
        return items.values().stream().filter(item -> item.price() >= minPrice)
                .filter(item -> prefix.map(item.name()::startsWith).orElse(true))
                .sorted(java.util.Comparator.comparing(StoredItem::id)).toList();
    }

    @Put("/items/{id}/name")
    public String rename(@PathVar long id, @Body String name) {
        StoredItem item = find(id);
        items.put(id, new StoredItem(id, name, item.price()));
        return name;
    }

    @Patch("/items/{id}/price")
    @ErrorStatus(value = 422, exceptions = IllegalArgumentException.class)
    public CompletionStage<StoredItem> reprice(@PathVar long id, @QueryParam int price) {
        if (price < 0) {
            throw new IllegalArgumentException("A price cannot be negative");
        }
        return CompletableFuture.supplyAsync(() -> {
            StoredItem item = find(id);
            StoredItem repriced = new StoredItem(id, item.name(), price);
            items.put(id, repriced);
            return repriced;
        });
    }

    @Delete("/items/{id}")
    public void delete(@PathVar long id) {
        items.remove(id);
    }

    @Post("/echo")
    public byte[] echo(@Body byte[] body, @Header("Content-Type") String contentType) {
        return body;
    }

    @Get("/whoami")
    public String whoami(@Header(value = "X-User", defaultValue = "anonymous") String user, HttpRequest request) {
        return user + " from " + request.remoteAddress().getAddress().getHostAddress();
    }

    @NonBlocking
    @Get("/thread")
    public String loopThread() {
        return Thread.currentThread().getName();
    }

    @Get("/worker-thread")
    public String workerThread() {
        return Thread.currentThread().getName();
    }

    @Get("/teapot")
    public HttpResponse teapot() {
        return HttpResponse.status(418).header("X-Brew", "tea").text("I'm a teapot");
    }

    @Get("/map")
    public Map<String, Object> map() {
        return Map.of("ok", true);
    }

    @Get("/boom")
    public String boom() {
        throw new IllegalStateException("database password is hunter2");
    }

    @Get("/files/*")
    public String file(@PathVar("*") String path) {
        return path;
    }

    /** Clears the catalogue between tests. */
    public void clear() {
        items.clear();
        ids.set(0);
    }
}

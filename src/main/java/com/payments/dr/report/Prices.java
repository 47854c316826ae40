package com.payments.dr.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dated price table ({@code src/main/resources/prices/…}): one price per key with its unit and
 * the AWS pricing page it comes from. Prices live in a file, not in code, so a price check is a
 * one-file change with its date, and the report can name its sources.
 */
public final class Prices {

    /** The table the estimate uses; a new check is a new file with its month in the name. */
    public static final String RESOURCE = "/prices/aws-prices-2026-11.json";

    /** One entry: US dollars per {@code unit}, published at {@code source}. */
    public record Price(double usd, String unit, String source) {
    }

    private final String file;
    private final String checked;
    private final Map<String, Price> prices;

    private Prices(String file, String checked, Map<String, Price> prices) {
        this.file = file;
        this.checked = checked;
        this.prices = prices;
    }

    public static Prices load() {
        return load(RESOURCE);
    }

    static Prices load(String resource) {
        InputStream in = Prices.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("price table " + resource + " is not on the classpath");
        }
        return parse(in, resource.substring(resource.lastIndexOf('/') + 1));
    }

    static Prices parse(InputStream stream, String file) {
        try (InputStream in = stream) {
            JsonObject root = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            // sorted: the report lists the sources in a stable order
            Map<String, Price> prices = new TreeMap<>();
            root.getAsJsonObject("prices").entrySet().forEach(e -> {
                JsonObject p = e.getValue().getAsJsonObject();
                prices.put(e.getKey(), new Price(p.get("usd").getAsDouble(), p.get("unit").getAsString(),
                        p.get("source").getAsString()));
            });
            return new Prices(file, root.get("checked").getAsString(), java.util.Collections.unmodifiableMap(prices));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price table " + file + ": " + e.getMessage(), e);
        }
    }

    /** The price of {@code key}; a key the table lacks is a bug in the estimate, not a user error. */
    public double usd(String key) {
        Price price = prices.get(key);
        if (price == null) {
            throw new IllegalArgumentException("no price " + key + " in " + file);
        }
        return price.usd();
    }

    public String file() {
        return file;
    }

    public String checked() {
        return checked;
    }

    public Map<String, Price> all() {
        return prices;
    }
}

package com.payments.dr.naming;

import java.util.Arrays;
import java.util.Objects;

/**
 * The one place names are made: {@code {resource-type}[-{qualifier}][-{role}]-{suffix}}. A naming
 * bound to a region adds the region role to {@link NameScope#ACCOUNT} names, the ones AWS needs
 * unique across regions; the global naming never does.
 */
public final class Naming {

    private final String suffix;
    private final RegionRole role;

    private Naming(String suffix, RegionRole role) {
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.role = role;
    }

    /** Naming for resources that exist once for the whole deployment. */
    public static Naming global(String suffix) {
        return new Naming(suffix, null);
    }

    /** Naming for resources created in the region playing {@code regionRole}. */
    public Naming forRegion(RegionRole regionRole) {
        return new Naming(suffix, Objects.requireNonNull(regionRole, "regionRole"));
    }

    public String suffix() {
        return suffix;
    }

    public String name(ResourceType type) {
        return name(type, null);
    }

    /**
     * @param qualifier what tells apart several resources of one type (e.g. {@code "database"} for a
     *                  security group), or {@code null}
     */
    public String name(ResourceType type, String qualifier) {
        StringBuilder name = new StringBuilder(type.prefix());
        if (qualifier != null) {
            if (type.maxQualifierLength() == 0) {
                throw new IllegalArgumentException(type + " names take no qualifier, got " + qualifier);
            }
            name.append('-').append(qualifier);
        }
        if (role != null && type.scope() == NameScope.ACCOUNT) {
            name.append('-').append(role.label());
        }
        String result = name.append('-').append(suffix).toString();
        String refused = type.reservedProblem(result);
        if (refused != null) {
            throw new IllegalArgumentException(type + " name " + result + ": " + refused);
        }
        return result;
    }

    /**
     * Why some name made with {@code suffix} would be refused by AWS, or {@code null}: names end
     * with the suffix, so a suffix can hit a reserved ending (S3 refuses {@code -s3alias}).
     */
    public static String suffixProblem(String suffix) {
        for (ResourceType type : ResourceType.values()) {
            String refused = type.reservedProblem("-" + suffix);
            if (refused != null) {
                return "a suffix that makes no " + type + " name AWS refuses (" + refused + ")";
            }
        }
        return null;
    }

    /**
     * The longest suffix with which every name of every {@link ResourceType} still fits its AWS
     * limit, computed from the types rather than guessed.
     */
    public static int maxSuffixLength() {
        return Arrays.stream(ResourceType.values())
                .mapToInt(t -> t.maxLength() - t.fixedLength())
                .min()
                .orElseThrow();
    }

    /** The type whose limit sets {@link #maxSuffixLength()}, for error messages. */
    public static ResourceType tightestType() {
        return Arrays.stream(ResourceType.values())
                .min((a, b) -> Integer.compare(a.maxLength() - a.fixedLength(), b.maxLength() - b.fixedLength()))
                .orElseThrow();
    }
}

package io.argus.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table "Which endpoint needs which role" of {@code docs/access.md}, read as the specification
 * the services are tested against, so the documentation and the code cannot drift apart.
 *
 * <p>A row names a service (or "every service"), endpoints in backquotes and roles ("none": open).
 * {@code `POST`, `DELETE /api/x`} is two endpoints on one path; a path without a method is a GET.
 */
public final class AccessTable {

    /** One endpoint and the roles that may call it; no roles: open to anyone. */
    public record Rule(String service, String method, String path, Set<String> roles) {

        public String endpoint() {
            return method + " " + path;
        }

        public boolean appliesTo(String aService) {
            return service.equals(aService) || service.equals("every service");
        }
    }

    private static final String SECTION = "## Which endpoint needs which role";
    private static final Pattern QUOTED = Pattern.compile("`([^`]+)`");
    private static final Pattern METHOD = Pattern.compile("GET|POST|PUT|DELETE|PATCH");

    private AccessTable() {
    }

    /** The table of the repository's docs/access.md, found from a module's directory. */
    public static List<Rule> ofTheRepository() throws IOException {
        Path doc = Path.of("..", "docs", "access.md");
        if (!Files.isRegularFile(doc)) {
            doc = Path.of("docs", "access.md");
        }
        return read(Files.readString(doc));
    }

    public static List<Rule> read(String markdown) {
        int start = markdown.indexOf(SECTION);
        if (start < 0) {
            throw new IllegalArgumentException("no section '" + SECTION + "'");
        }
        List<Rule> rules = new ArrayList<>();
        boolean inTable = false;
        for (String line : markdown.substring(start + SECTION.length()).split("\n")) {
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = line.split("\\|");
            if (cells.length < 4 || cells[1].isBlank() || cells[1].contains("---") || cells[1].trim().equals("service")) {
                continue;
            }
            String service = cells[1].trim();
            Set<String> roles = roles(cells[3].trim());
            List<String> pendingMethods = new ArrayList<>();
            Matcher quoted = QUOTED.matcher(cells[2]);
            while (quoted.find()) {
                String token = quoted.group(1).trim();
                if (METHOD.matcher(token).matches()) {
                    pendingMethods.add(token);
                    continue;
                }
                String[] parts = token.split(" ", 2);
                String method = parts.length == 2 ? parts[0] : "GET";
                String path = parts.length == 2 ? parts[1] : parts[0];
                pendingMethods.add(method);
                for (String m : pendingMethods) {
                    rules.add(new Rule(service, m, path, roles));
                }
                pendingMethods.clear();
            }
            if (!pendingMethods.isEmpty()) {
                throw new IllegalArgumentException("methods " + pendingMethods + " without a path in: " + line);
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("no rows under '" + SECTION + "'");
        }
        return rules;
    }

    private static Set<String> roles(String cell) {
        if (cell.equals("none")) {
            return Set.of();
        }
        Set<String> roles = new LinkedHashSet<>();
        Arrays.stream(cell.split(",")).map(String::trim).forEach(roles::add);
        return roles;
    }
}

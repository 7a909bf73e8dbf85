package io.tuneforge.registry.ui;

/**
 * What every page's frame shows: the title, the active section, who is signed in, and the chart library's path.
 *
 * @param user     the signed-in principal, or null for a reader without credentials
 * @param role     the strongest role of the caller (reader, writer, admin); null when the caller has none
 * @param canWrite whether forms that change something are offered
 * @param chartJs  path of Chart.js in its webjar
 */
public record Chrome(String title, String active, String user, String role, boolean canWrite, String chartJs) {
}

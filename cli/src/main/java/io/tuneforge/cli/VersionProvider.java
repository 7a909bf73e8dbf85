package io.tuneforge.cli;

import picocli.CommandLine.IVersionProvider;

/** The version of the running jar, as Maven stamped it. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = TuneForgeCli.class.getPackage().getImplementationVersion();
        return new String[] {"tuneforge " + (v != null ? v : "development build")};
    }
}

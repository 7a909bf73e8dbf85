package io.tuneforge.dataprep.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic instruction dataset for benchmarks: half Chinese, half English records of random words
 * (so unrelated records share few shingles), about 5% exact duplicates of earlier records (with case and spacing
 * changed, which the normalised key ignores) and about 5% near duplicates (one word or one Chinese phrase of an
 * earlier record replaced: Jaccard about 0.9). Some records carry stray double spaces and trailing spaces.
 */
public final class SyntheticDataset {

    private static final String HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
            + "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
            + "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
            + "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流"
            + "路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领";
    private static final String[] WORDS = ("time person year way day thing man world life hand part child eye woman place "
            + "work week case point government company number group problem fact model data train learn layer token batch "
            + "gradient loss weight memory stream record file queue topic broker service cluster node value signal error test "
            + "build deploy network image language sentence answer question reason method system process result example").split(" ");
    private static final String[] TASKS = {"Explain %s in simple terms.", "Write a short note about %s.",
            "Summarize the following text about %s.", "List three facts about %s.", "Translate this sentence about %s."};
    private static final String[] ZH_TASKS = {"请用简单的话解释%s。", "写一段关于%s的短文。", "总结下面关于%s的内容。", "列出关于%s的三个要点。"};

    /**
     * What was generated.
     *
     * @param exactLines lines (1-based) planted as exact duplicates
     * @param nearLines  lines (1-based) planted as near duplicates
     */
    public record Stats(long records, long exactDuplicates, long nearDuplicates, long bytes, BitSet exactLines,
                        BitSet nearLines) {
    }

    private SyntheticDataset() {
    }

    /** Writes {@code records} JSONL records to {@code file}, the same bytes for the same seed. */
    public static Stats write(Path file, int records, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String[]> originals = new ArrayList<>();
        long exact = 0;
        long near = 0;
        BitSet exactLines = new BitSet();
        BitSet nearLines = new BitSet();
        JsonFactory json = JsonFactory.builder().build();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             JsonGenerator g = json.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (int i = 0; i < records; i++) {
                double r = random.nextDouble();
                String[] record;
                if (r < 0.05 && originals.size() > 100) {
                    String[] original = originals.get(random.nextInt(originals.size()));
                    record = new String[] {original[0].toUpperCase().replace(" ", "  "), original[1] + " "};
                    exact++;
                    exactLines.set(i + 1);
                } else if (r < 0.10 && originals.size() > 100) {
                    String[] original = originals.get(random.nextInt(originals.size()));
                    record = new String[] {original[0], edit(original[1], random)};
                    near++;
                    nearLines.set(i + 1);
                } else {
                    record = random.nextBoolean() ? chinese(random) : english(random);
                    originals.add(record);
                }
                g.writeStartObject();
                g.writeStringField("instruction", record[0]);
                g.writeStringField("output", record[1]);
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
        return new Stats(records, exact, near, Files.size(file), exactLines, nearLines);
    }

    private static String[] english(SplittableRandom random) {
        String topic = word(random) + " " + word(random);
        StringBuilder out = new StringBuilder();
        int sentences = 3 + random.nextInt(6);
        for (int s = 0; s < sentences; s++) {
            int words = 8 + random.nextInt(12);
            for (int w = 0; w < words; w++) {
                String word = word(random);
                out.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                out.append(w == words - 1 ? ". " : random.nextInt(40) == 0 ? "  " : " ");
            }
        }
        return new String[] {String.format(TASKS[random.nextInt(TASKS.length)], topic), out.toString().strip()};
    }

    private static String[] chinese(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        int sentences = 3 + random.nextInt(5);
        for (int s = 0; s < sentences; s++) {
            int clauses = 1 + random.nextInt(3);
            for (int c = 0; c < clauses; c++) {
                out.append(han(random, 6 + random.nextInt(10))).append(c == clauses - 1 ? "。" : "，");
            }
        }
        String topic = han(random, 2 + random.nextInt(3));
        return new String[] {String.format(ZH_TASKS[random.nextInt(ZH_TASKS.length)], topic), out.toString()};
    }

    /** One word (English) or one two-character phrase (Chinese) replaced. */
    private static String edit(String text, SplittableRandom random) {
        if (text.charAt(0) < 0x80) {
            String[] words = text.split(" ");
            words[random.nextInt(words.length)] = word(random);
            return String.join(" ", words);
        }
        int at = random.nextInt(Math.max(1, text.length() - 2));
        return text.substring(0, at) + han(random, 2) + text.substring(Math.min(text.length(), at + 2));
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static String han(SplittableRandom random, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(HAN.charAt(random.nextInt(HAN.length())));
        }
        return s.toString();
    }
}

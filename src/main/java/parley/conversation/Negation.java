package parley.conversation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether words refuse or deny. Sentence embeddings place "I'm interested" and "I'm not interested" close
 * together, because nearly every word is the same; a state's classifier reads these as features beside the
 * embedding to tell them apart. Phrases whose negation is an agreement ("I don't mind", "why not", "I wouldn't say
 * no") are read as the agreement they are.
 */
final class Negation {

    private static final Pattern AGREEING = Pattern.compile(
            "\\b((do|does|did|would|could|can|wo|ca)(n't| not|not) (mind|hurt)|(would|wouldn't|would not) say no"
                    + "|why not|no problem|not a problem|no worries|not bad|not opposed|no objections?|no harm"
                    + "|never hurts|no reason not to|not against|(don't|do not) see why not|not busy)\\b");
    private static final Pattern NEGATING = Pattern.compile(
            "\\b(no|not|nope|nah|never|nothing|none|nobody|neither|nor|cannot)\\b|n't\\b|n’t\\b");

    private Negation() {
    }

    static boolean negative(String said) {
        String text = AGREEING.matcher(normal(said)).replaceAll(" ");
        return NEGATING.matcher(text).find();
    }

    /** Whether the words agree by way of a negation ("I wouldn't say no"), which embeddings read as refusing. */
    static boolean agreesByNegating(String said) {
        return AGREEING.matcher(normal(said)).find();
    }

    private static String normal(String said) {
        return said.toLowerCase(Locale.ROOT).replace('’', '\'');
    }
}

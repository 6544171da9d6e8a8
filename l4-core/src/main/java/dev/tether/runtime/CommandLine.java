package dev.tether.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line a client sent into commands and words, as HAProxy's CLI does: {@code ;} separates commands,
 * blanks separate words, and a backslash makes the next character literal (so {@code \;} and {@code \ } can appear
 * inside a word). Commands with no words are dropped.
 */
final class CommandLine {

    private CommandLine() {
    }

    static List<List<String>> parse(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == ';') {
                inWord = endWord(words, word, inWord);
                endCommand(commands, words);
                words = new ArrayList<>();
            } else if (c == ' ' || c == '\t' || c == '\r') {
                inWord = endWord(words, word, inWord);
            } else {
                word.append(c);
                inWord = true;
            }
        }
        endWord(words, word, inWord);
        endCommand(commands, words);
        return commands;
    }

    private static boolean endWord(List<String> words, StringBuilder word, boolean inWord) {
        if (inWord) {
            words.add(word.toString());
            word.setLength(0);
        }
        return false;
    }

    private static void endCommand(List<List<String>> commands, List<String> words) {
        if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
        }
    }
}

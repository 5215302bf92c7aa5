package TAPCount;
# The harness tools/test gives prove (--harness TAPCount): TAP::Harness, its
# output flushed line by line (so that a script's TAP and what it prints on
# standard error stay in order in a log), and the counts of tools/test's
# last line taken from the parsed TAP: written as "<passed> <failed>
# <skipped>" to the file named by HS_TAP_COUNTS.
#   passed:  results "ok" without a skip directive;
#   failed:  results "not ok", plus one for each script whose TAP is broken
#            (no plan or a wrong one, a parse error, a line on standard
#            output that is not TAP) or that exited non-zero without a
#            failed result;
#   skipped: results "ok ... # skip" (a whole-file "1..0 # SKIP" counts none).
use strict;
use warnings;
use parent 'TAP::Harness';
use IO::Handle;

STDOUT->autoflush(1);
STDERR->autoflush(1);

# Lines of a script's standard output that are not TAP, by script.
my %unknown;

sub new {
    my ( $class, @args ) = @_;
    my $self = $class->SUPER::new(@args);
    $self->callback(
        made_parser => sub {
            my ( $parser, $job ) = @_;
            my $script = $job->[1];
            $unknown{$script} = 0;
            $parser->callback( unknown => sub { $unknown{$script}++ } );
        }
    );
    return $self;
}

sub runtests {
    my ( $self, @tests ) = @_;
    my $aggregate = $self->SUPER::runtests(@tests);
    my ( $passed, $failed, $skipped ) = ( 0, 0, 0 );
    for my $script ( $aggregate->descriptions ) {
        my ($parser) = $aggregate->parsers($script);
        my $fails = scalar $parser->failed;
        $passed  += scalar( $parser->passed ) - scalar( $parser->skipped );
        $skipped += scalar $parser->skipped;
        $failed  += $fails;
        my $unknown = $unknown{$script} || 0;
        if ( $parser->parse_errors || $unknown || ( !$fails && ( $parser->exit || $parser->wait ) ) ) {
            $failed += 1;
            printf "%s: %s\n", $script, join( '; ', $parser->parse_errors,
                $unknown ? "$unknown lines on standard output that are not TAP" : (),
                $parser->wait ? 'wait status ' . $parser->wait : () );
        }
    }
    if ( my $file = $ENV{HS_TAP_COUNTS} ) {
        open my $fh, '>', $file or die "$file: $!";
        print $fh "$passed $failed $skipped\n";
        close $fh or die "$file: $!";
    }
    return $aggregate;
}

1;

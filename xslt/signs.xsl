<?xml version="1.0" encoding="UTF-8"?>
<!--
  Editorial signs: what the transcription records about the writing rather than the words themselves
  (handwriting, deletions, uncertain, supplied, withheld and erroneous text). Each sign is told by a mark
  that is not colour (brackets, braces, [?], <del>) and by a visually hidden label for screen readers.

  The two views ($view) differ here. The diplomatic view shows the paper: the source's readings (sic, orig,
  abbr) with the editors' (corr, reg, expan) in their tooltip, deletions, surplus. The reading view shows the
  text as the editors read it: corrections, regularisations and expansions applied, the source's reading in
  their tooltip, deletions and surplus left out. No word is lost: whatever one view leaves out, the other
  shows, and an element left out still leaves its anchors (note references, page markers, ids).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:key name="hand" match="tei:handNote" use="@xml:id"/>

  <!-- The header's description of the hand a @hand or @new points to, or nothing when it is not declared. -->
  <xsl:template name="hand-description">
    <xsl:param name="pointer"/>
    <xsl:variable name="first" select="substring-before(concat(normalize-space($pointer), ' '), ' ')"/>
    <xsl:value-of select="normalize-space(key('hand', substring-after($first, '#')))"/>
  </xsl:template>

  <!-- "Hand 2": the name the document page's list of hands gives the hand a pointer names, by its place among
       the header's handNotes. A description is a paragraph, too long to repeat at every change of hand. -->
  <xsl:template name="hand-name">
    <xsl:param name="pointer"/>
    <xsl:variable name="first" select="substring-before(concat(normalize-space($pointer), ' '), ' ')"/>
    <xsl:variable name="note" select="key('hand', substring-after($first, '#'))[1]"/>
    <xsl:if test="$note">
      <xsl:value-of select="concat('Hand ', count($note/preceding::tei:handNote) + 1)"/>
    </xsl:if>
  </xsl:template>

  <!-- "Hand 2, above the line: black ink, the ambassador's": who wrote an addition, where and how, for its
       tooltip. -->
  <xsl:template name="hand-title">
    <xsl:param name="fallback"/>
    <xsl:variable name="name">
      <xsl:call-template name="hand-name">
        <xsl:with-param name="pointer" select="@hand"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="description">
      <xsl:call-template name="hand-description">
        <xsl:with-param name="pointer" select="@hand"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="place">
      <xsl:call-template name="place-phrase"/>
    </xsl:variable>
    <xsl:variable name="who">
      <xsl:choose>
        <xsl:when test="string($name)"><xsl:value-of select="$name"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$fallback"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="text">
      <xsl:value-of select="$who"/>
      <xsl:if test="string($place)"><xsl:value-of select="concat(', ', $place)"/></xsl:if>
      <xsl:if test="string($description)"><xsl:value-of select="concat(': ', $description)"/></xsl:if>
    </xsl:variable>
    <!-- Without a name to start it, the text must not start with the separator of a part that follows. -->
    <xsl:choose>
      <xsl:when test="string($who)"><xsl:value-of select="$text"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="substring($text, 3)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Where on the paper @place says something stands, in words ("in the margin"); an unlisted value is
       given as written. -->
  <xsl:template name="place-phrase">
    <xsl:variable name="place" select="normalize-space(@place)"/>
    <xsl:choose>
      <xsl:when test="$place = 'above' or $place = 'supralinear'">above the line</xsl:when>
      <xsl:when test="$place = 'below' or $place = 'infralinear'">below the line</xsl:when>
      <xsl:when test="$place = 'inline'">in the line</xsl:when>
      <xsl:when test="$place = 'margin'">in the margin</xsl:when>
      <xsl:when test="$place = 'left' or $place = 'margin-left'">in the left margin</xsl:when>
      <xsl:when test="$place = 'right' or $place = 'margin-right'">in the right margin</xsl:when>
      <xsl:when test="$place = 'top'">at the top of the page</xsl:when>
      <xsl:when test="$place = 'bottom'">at the foot of the page</xsl:when>
      <xsl:when test="$place = 'overleaf'">overleaf</xsl:when>
      <xsl:when test="$place = 'opposite'">on the opposite page</xsl:when>
      <xsl:when test="$place"><xsl:value-of select="concat('placed: ', $place)"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The name of the editor or agency a @resp points to (a respStmt of the header), or nothing. -->
  <xsl:template name="resp-name">
    <xsl:variable name="id" select="substring-after(substring-before(concat(normalize-space(@resp), ' '), ' '), '#')"/>
    <xsl:value-of select="normalize-space(/tei:TEI/tei:teiHeader//tei:respStmt[@xml:id = $id]/tei:name)"/>
  </xsl:template>

  <!-- "Deleted", "Deleted (detail)": the wording of titles and labels that name a sign and, when the
       encoding says more, what it says. -->
  <xsl:template name="with-detail">
    <xsl:param name="text"/>
    <xsl:param name="detail"/>
    <xsl:value-of select="$text"/>
    <xsl:if test="normalize-space($detail)">
      <xsl:value-of select="concat(' (', normalize-space($detail), ')')"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="editorial-mark">
    <xsl:param name="text"/>
    <xsl:call-template name="make-label">
      <xsl:with-param name="class" select="'editorial'"/>
      <xsl:with-param name="text" select="$text"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Handwriting in a typed or printed document is recognised by sight (a script face); the hidden label says
       it for a screen reader, and the tooltip names the hand, where it wrote and the hand's description. A
       stamp added later (inside an add) is shown as the stamp it is, not as handwriting, labelled as added
       later by whoever the encoding names. -->
  <xsl:template match="tei:add">
    <xsl:variable name="later-stamp" select="tei:stamp and not(text()[normalize-space()])"/>
    <xsl:variable name="by">
      <xsl:call-template name="resp-name"/>
    </xsl:variable>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:text>add</xsl:text>
        <xsl:if test="$later-stamp"> add-stamp</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x data-place="{@place}">
          <xsl:attribute name="data-hand">
            <xsl:call-template name="pointer-ids">
              <xsl:with-param name="pointers" select="@hand"/>
            </xsl:call-template>
          </xsl:attribute>
          <xsl:attribute name="title">
            <xsl:variable name="who">
              <xsl:call-template name="hand-title">
                <xsl:with-param name="fallback">
                  <xsl:choose>
                    <xsl:when test="string($by)"><xsl:value-of select="concat('Added by ', $by)"/></xsl:when>
                    <xsl:when test="@hand">Handwritten</xsl:when>
                    <xsl:when test="not($later-stamp)">Added</xsl:when>
                  </xsl:choose>
                </xsl:with-param>
              </xsl:call-template>
            </xsl:variable>
            <xsl:choose>
              <xsl:when test="$later-stamp and string($who)">
                <xsl:value-of select="concat('Stamp added later; ', $who)"/>
              </xsl:when>
              <xsl:when test="$later-stamp">Stamp added later</xsl:when>
              <xsl:otherwise><xsl:value-of select="$who"/></xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:choose>
          <xsl:when test="$later-stamp">
            <xsl:apply-templates/>
          </xsl:when>
          <xsl:when test="@hand">
            <xsl:call-template name="make-hidden-label">
              <xsl:with-param name="text" select="'handwritten: '"/>
            </xsl:call-template>
            <xsl:call-template name="make-part">
              <xsl:with-param name="class" select="'hand'"/>
              <xsl:with-param name="content">
                <xsl:apply-templates/>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="make-hidden-label">
              <xsl:with-param name="text" select="'added: '"/>
            </xsl:call-template>
            <xsl:apply-templates/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The reading view reads the text as revised: a deletion is left out (the addition that replaces it in a
       subst stays). -->
  <xsl:template match="tei:del">
    <xsl:variable name="description">
      <xsl:call-template name="hand-title"/>
    </xsl:variable>
    <xsl:choose>
      <!-- A blackout or deletion over withheld or lost text still shows its placeholder: the reading view
           leaves out what was struck, never the sign that something is missing. -->
      <xsl:when test="$view = 'reading' and .//tei:gap">
        <xsl:call-template name="omitted-anchors"/>
        <xsl:apply-templates select=".//tei:gap"/>
      </xsl:when>
      <xsl:when test="$view = 'reading'">
        <xsl:call-template name="omitted-anchors"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-inline">
          <xsl:with-param name="element" select="'del'"/>
          <xsl:with-param name="class">
            <xsl:call-template name="modifier-classes">
              <xsl:with-param name="base" select="'del'"/>
              <xsl:with-param name="tokens" select="@rend"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="attributes">
            <x>
              <xsl:attribute name="data-hand">
                <xsl:call-template name="pointer-ids">
                  <xsl:with-param name="pointers" select="@hand"/>
                </xsl:call-template>
              </xsl:attribute>
              <xsl:attribute name="title">
                <xsl:call-template name="with-detail">
                  <xsl:with-param name="text">
                    <xsl:choose>
                      <xsl:when test="@type = 'redaction'">Blacked out (redaction)</xsl:when>
                      <xsl:otherwise>Deleted</xsl:otherwise>
                    </xsl:choose>
                  </xsl:with-param>
                  <xsl:with-param name="detail" select="$description"/>
                </xsl:call-template>
              </xsl:attribute>
            </x>
          </xsl:with-param>
          <xsl:with-param name="before">
            <xsl:call-template name="make-hidden-label">
              <xsl:with-param name="text">
                <xsl:choose>
                  <xsl:when test="@type = 'redaction'">blacked out: </xsl:when>
                  <xsl:otherwise>deleted: </xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:subst">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'subst'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:unclear">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'unclear'"/>
      <xsl:with-param name="attributes">
        <x data-reason="{@reason}">
          <xsl:attribute name="title">
            <xsl:call-template name="with-detail">
              <xsl:with-param name="text" select="'Uncertain reading'"/>
              <xsl:with-param name="detail" select="@reason"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:call-template name="make-hidden-label">
          <xsl:with-param name="text" select="'unclear: '"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:call-template name="editorial-mark">
          <xsl:with-param name="text" select="'[?]'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'supplied'"/>
      <xsl:with-param name="attributes">
        <x data-reason="{@reason}">
          <xsl:attribute name="data-source">
            <xsl:call-template name="pointer-ids">
              <xsl:with-param name="pointers" select="@source"/>
            </xsl:call-template>
          </xsl:attribute>
          <xsl:attribute name="title">
            <xsl:call-template name="with-detail">
              <xsl:with-param name="text" select="'Supplied by the editors'"/>
              <xsl:with-param name="detail" select="@reason"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:call-template name="make-hidden-label">
          <xsl:with-param name="text" select="'supplied by the editors: '"/>
        </xsl:call-template>
        <xsl:call-template name="editorial-mark">
          <xsl:with-param name="text" select="'['"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:call-template name="editorial-mark">
          <xsl:with-param name="text" select="']'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Text the source has in excess: in braces in the diplomatic view, left out of the reading view. -->
  <xsl:template match="tei:surplus">
    <xsl:choose>
      <xsl:when test="$view = 'reading'">
        <xsl:call-template name="omitted-anchors"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="'surplus'"/>
          <xsl:with-param name="attributes">
            <x data-reason="{@reason}">
              <xsl:attribute name="title">
                <xsl:call-template name="with-detail">
                  <xsl:with-param name="text" select="'Surplus'"/>
                  <xsl:with-param name="detail" select="@reason"/>
                </xsl:call-template>
              </xsl:attribute>
            </x>
          </xsl:with-param>
          <xsl:with-param name="before">
            <xsl:call-template name="make-hidden-label">
              <xsl:with-param name="text" select="'surplus: '"/>
            </xsl:call-template>
            <xsl:call-template name="editorial-mark">
              <xsl:with-param name="text" select="'{'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="after">
            <xsl:call-template name="editorial-mark">
              <xsl:with-param name="text" select="'}'"/>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The words of the other side of a choice, for a tooltip: its text with the spaces normalised, without
       the text of notes inside it (they have their own reference); a line break counts as a space. -->
  <xsl:template name="plain-text">
    <xsl:param name="of"/>
    <xsl:variable name="text">
      <xsl:for-each select="$of">
        <xsl:variable name="notes" select="count(ancestor-or-self::tei:note)"/>
        <xsl:for-each select="descendant::text()[count(ancestor::tei:note) = $notes] | descendant::tei:lb">
          <xsl:choose>
            <xsl:when test="self::tei:lb"><xsl:text> </xsl:text></xsl:when>
            <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="normalize-space($text)"/>
  </xsl:template>

  <!-- A choice between the source's reading (sic, orig, abbr) and the edition's (corr, reg, expan) shows one
       side in each view: the source's in the diplomatic view, the edition's in the reading view, each with
       the other side in its tooltip (the rules below read it from the choice). When the side a view wants is
       not encoded, the other is shown; alternatives of another kind (two unclear readings) are always shown.
       Within a deletion, which the reading view leaves out, the diplomatic view shows both sides, so that the
       edition's side is not lost. The side not shown leaves its anchors. -->
  <xsl:template match="tei:choice">
    <xsl:variable name="source-side" select="tei:sic | tei:orig | tei:abbr"/>
    <xsl:variable name="edition-side" select="tei:corr | tei:reg | tei:expan"/>
    <xsl:variable name="deleted" select="boolean(ancestor::tei:del)"/>
    <xsl:variable name="shown-side" select="$source-side[$view != 'reading' or not($edition-side)]
                                            | $edition-side[$view = 'reading' or not($source-side) or $deleted]"/>
    <xsl:variable name="sides" select="$source-side | $edition-side"/>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'choice'"/>
          <xsl:with-param name="tokens" select="local-name($source-side[1])"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:for-each select="node()[not(self::text()) or normalize-space()]">
          <xsl:choose>
            <xsl:when test="count(. | $sides) != count($sides) or count(. | $shown-side) = count($shown-side)">
              <xsl:apply-templates select="."/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="omitted-anchors"/>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- An error of the source. Beside its correction (diplomatic view) the correction is in the tooltip; alone,
       or in the reading view when no correction is encoded, " [sic]" says it is an error. -->
  <xsl:template match="tei:sic">
    <xsl:variable name="correction" select="parent::tei:choice/tei:corr"/>
    <xsl:variable name="correction-text">
      <xsl:call-template name="plain-text">
        <xsl:with-param name="of" select="$correction[1]"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'sic'"/>
      <xsl:with-param name="attributes">
        <x>
          <xsl:attribute name="title">
            <xsl:choose>
              <xsl:when test="$correction">
                <xsl:value-of select="concat('corrected: ', $correction-text)"/>
              </xsl:when>
              <xsl:otherwise>Thus in the source</xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:if test="$correction">
          <xsl:call-template name="make-hidden-label">
            <xsl:with-param name="text" select="'sic: '"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:if test="not($correction)">
          <xsl:call-template name="editorial-mark">
            <xsl:with-param name="text" select="' [sic]'"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:corr">
    <xsl:variable name="error" select="parent::tei:choice/tei:sic"/>
    <xsl:variable name="error-text">
      <xsl:call-template name="plain-text">
        <xsl:with-param name="of" select="$error[1]"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="edition-reading">
      <xsl:with-param name="label" select="'corrected: '"/>
      <xsl:with-param name="hidden-label" select="'corrected: '"/>
      <xsl:with-param name="title">
        <xsl:choose>
          <xsl:when test="$error">
            <xsl:value-of select="concat('corrected from: ', $error-text)"/>
          </xsl:when>
          <xsl:otherwise>Corrected by the editors</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:orig">
    <xsl:variable name="regularised" select="parent::tei:choice/tei:reg"/>
    <xsl:variable name="regularised-text">
      <xsl:call-template name="plain-text">
        <xsl:with-param name="of" select="$regularised[1]"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'orig'"/>
      <xsl:with-param name="attributes">
        <x>
          <xsl:if test="$regularised">
            <xsl:attribute name="title">
              <xsl:value-of select="concat('regularised: ', $regularised-text)"/>
            </xsl:attribute>
          </xsl:if>
        </x>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:reg">
    <xsl:variable name="original" select="parent::tei:choice/tei:orig"/>
    <xsl:variable name="original-text">
      <xsl:call-template name="plain-text">
        <xsl:with-param name="of" select="$original[1]"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="edition-reading">
      <xsl:with-param name="label" select="'regularised: '"/>
      <xsl:with-param name="title">
        <xsl:choose>
          <xsl:when test="$original">
            <xsl:value-of select="concat('in the source: ', $original-text)"/>
          </xsl:when>
          <xsl:otherwise>Regularised by the editors</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- HTML's own element for an abbreviation, its expansion (when the choice gives one) in the title. -->
  <xsl:template match="tei:abbr">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="element" select="'abbr'"/>
      <xsl:with-param name="class" select="'abbr'"/>
      <xsl:with-param name="attributes">
        <x>
          <xsl:attribute name="title">
            <xsl:call-template name="plain-text">
              <xsl:with-param name="of" select="parent::tei:choice/tei:expan[1]"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- An expansion in a choice is the reading view's text, the abbreviation in its tooltip (the diplomatic view
       shows it, bracketed, only when no abbreviation is encoded); an expansion alone is what the document is
       read as, and is shown as plain text in both views. -->
  <xsl:template match="tei:expan">
    <xsl:variable name="abbreviation" select="parent::tei:choice/tei:abbr"/>
    <xsl:variable name="abbreviation-text">
      <xsl:call-template name="plain-text">
        <xsl:with-param name="of" select="$abbreviation[1]"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="parent::tei:choice">
        <xsl:call-template name="edition-reading">
          <xsl:with-param name="title">
            <xsl:choose>
              <xsl:when test="$abbreviation">
                <xsl:value-of select="concat('abbreviated in the source: ', $abbreviation-text)"/>
              </xsl:when>
              <xsl:otherwise>Expansion</xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="'expan'"/>
          <xsl:with-param name="attributes"><x title="Expansion"/></xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A reading the editors give, classed by its TEI name. In the reading view it is the text, plain, with a
       hidden label when a listener should know (a correction); in the diplomatic view (where it is shown only
       when the source's reading is not encoded) it is bracketed and labelled like any editorial addition. -->
  <xsl:template name="edition-reading">
    <xsl:param name="label"/>
    <xsl:param name="hidden-label"/>
    <xsl:param name="title"/>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="local-name()"/>
      <xsl:with-param name="attributes">
        <x title="{$title}">
          <xsl:attribute name="data-resp">
            <xsl:call-template name="pointer-ids">
              <xsl:with-param name="pointers" select="@resp"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:choose>
          <xsl:when test="$view = 'reading'">
            <xsl:call-template name="make-hidden-label">
              <xsl:with-param name="text" select="$hidden-label"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="editorial-mark">
              <xsl:with-param name="text" select="concat('[', $label)"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:if test="$view != 'reading'">
          <xsl:call-template name="editorial-mark">
            <xsl:with-param name="text" select="']'"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Withheld or lost text is never silently absent: the placeholder says why and, when the encoding
       records it, how much ("[2 lines not declassified]"). -->
  <xsl:template match="tei:gap">
    <xsl:variable name="reason" select="normalize-space(@reason)"/>
    <xsl:variable name="extent">
      <xsl:call-template name="extent"/>
    </xsl:variable>
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="$reason = 'notDeclassified' or $reason = 'not-declassified'">
          <xsl:value-of select="$extent"/>
          <xsl:if test="not(string($extent))">text</xsl:if>
          <xsl:text> not declassified</xsl:text>
        </xsl:when>
        <xsl:when test="$reason = 'illegible' or $reason = 'damage' or $reason = 'faded'
                        or $reason = 'omitted' or $reason = 'missing'">
          <xsl:value-of select="$extent"/>
          <xsl:if test="not(string($extent))">text</xsl:if>
          <xsl:choose>
            <xsl:when test="$reason = 'damage'"> lost to damage</xsl:when>
            <xsl:when test="$reason = 'omitted'"> omitted by the editors</xsl:when>
            <xsl:otherwise><xsl:value-of select="concat(' ', $reason)"/></xsl:otherwise>
          </xsl:choose>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>gap</xsl:text>
          <xsl:if test="$reason or string($extent)">: </xsl:if>
          <xsl:value-of select="$reason"/>
          <xsl:if test="$reason and string($extent)">, </xsl:if>
          <xsl:value-of select="$extent"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <!-- A desc that only repeats the placeholder as printed ("[2 lines not declassified]") adds nothing. -->
    <xsl:variable name="repeats-label"
        select="count(*) = 1 and tei:desc and translate(normalize-space(tei:desc), '[]', '') = normalize-space($label)"/>
    <xsl:call-template name="make-placeholder">
      <xsl:with-param name="class" select="'gap'"/>
      <xsl:with-param name="attributes">
        <!-- @agent is the agency that withheld a passage (counted in the summary too) or, as TEI has it, the
             cause of damage: either is named in the tooltip. -->
        <x data-reason="{$reason}" data-agent="{normalize-space(@agent)}">
          <xsl:if test="normalize-space(@agent)">
            <xsl:attribute name="title">
              <xsl:choose>
                <xsl:when test="$reason = 'notDeclassified'">Withheld by </xsl:when>
                <xsl:otherwise>Cause: </xsl:otherwise>
              </xsl:choose>
              <xsl:value-of select="normalize-space(@agent)"/>
            </xsl:attribute>
          </xsl:if>
        </x>
      </xsl:with-param>
      <xsl:with-param name="text" select="normalize-space($label)"/>
      <xsl:with-param name="content">
        <xsl:if test="* and not($repeats-label)">
          <xsl:text>: </xsl:text>
          <xsl:apply-templates select="node()[not(self::text()) or normalize-space()]"/>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:desc">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'desc'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:space">
    <xsl:variable name="extent">
      <xsl:call-template name="extent"/>
    </xsl:variable>
    <xsl:call-template name="make-placeholder">
      <xsl:with-param name="class" select="'space'"/>
      <xsl:with-param name="text">
        <xsl:text>space</xsl:text>
        <xsl:if test="string($extent)"><xsl:value-of select="concat(': ', $extent)"/></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A change of hand has no text; the marker says it where it happens, naming the new hand as the list of
       hands below the text does ("Hand 2"), its description in the tooltip. -->
  <xsl:template match="tei:handShift">
    <xsl:variable name="name">
      <xsl:call-template name="hand-name">
        <xsl:with-param name="pointer" select="@new"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="hand">
      <xsl:call-template name="pointer-ids">
        <xsl:with-param name="pointers" select="@new"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="make-placeholder">
      <xsl:with-param name="class" select="'handShift'"/>
      <xsl:with-param name="attributes">
        <x data-hand="{$hand}">
          <xsl:attribute name="title">
            <xsl:call-template name="hand-description">
              <xsl:with-param name="pointer" select="@new"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="text">
        <xsl:text>hand changes</xsl:text>
        <xsl:choose>
          <xsl:when test="string($name)"><xsl:value-of select="concat(': ', $name)"/></xsl:when>
          <xsl:when test="string($hand)"><xsl:value-of select="concat(': ', $hand)"/></xsl:when>
        </xsl:choose>
        <xsl:if test="normalize-space(@medium)">
          <xsl:value-of select="concat(', ', normalize-space(@medium))"/>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:damage">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'damage'"/>
      <xsl:with-param name="attributes">
        <x data-agent="{@agent}">
          <xsl:attribute name="title">
            <xsl:call-template name="with-detail">
              <xsl:with-param name="text" select="'Damaged'"/>
              <xsl:with-param name="detail" select="@agent"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:call-template name="make-hidden-label">
          <xsl:with-param name="text" select="'damaged: '"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- "2 lines", "1 line", "2-3 words" or the free @extent, for gaps and spaces; empty when nothing is said.
       Units are written as the TEI recommends them (plural), and made singular for a quantity of one. -->
  <xsl:template name="extent">
    <xsl:variable name="unit" select="normalize-space(@unit)"/>
    <xsl:variable name="quantity">
      <xsl:choose>
        <xsl:when test="normalize-space(@quantity)"><xsl:value-of select="normalize-space(@quantity)"/></xsl:when>
        <xsl:when test="normalize-space(@atLeast) and normalize-space(@atMost)">
          <xsl:value-of select="concat(normalize-space(@atLeast), '–', normalize-space(@atMost))"/>
        </xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="string($quantity)">
        <xsl:value-of select="$quantity"/>
        <xsl:if test="$unit = 'char' or $unit = 'chars'">
          <xsl:text> character</xsl:text>
          <xsl:if test="$quantity != '1'">s</xsl:if>
        </xsl:if>
        <xsl:if test="$unit and $unit != 'char' and $unit != 'chars'">
          <xsl:text> </xsl:text>
          <xsl:choose>
            <xsl:when test="$quantity = '1' and string-length($unit) &gt; 2
                            and substring($unit, string-length($unit)) = 's'">
              <xsl:value-of select="substring($unit, 1, string-length($unit) - 1)"/>
            </xsl:when>
            <xsl:when test="$quantity != '1'
                            and contains(' line word page paragraph character letter ', concat(' ', $unit, ' '))">
              <xsl:value-of select="concat($unit, 's')"/>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="$unit"/></xsl:otherwise>
          </xsl:choose>
        </xsl:if>
      </xsl:when>
      <xsl:when test="normalize-space(@extent)">
        <xsl:value-of select="normalize-space(@extent)"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  Editorial notes: encoded in place, shown as numbered references in the text and as a list at its end, each
  linked to the other. Numbers follow document order over the whole text, notes inside notes included.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- A note written on the document itself (with the @hand that wrote it or the @place where it stands) is
       part of the paper, not of the edition's apparatus: it is shown where it stands, labelled, and is not
       numbered among the editorial notes. -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="(@hand or @place) and not(@type = 'editorial')">
        <xsl:call-template name="note-on-the-paper"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- A note attached by @target to a passage elsewhere (a seg, a paragraph) names it in data-attach:
             the site builder moves the reference to the end of that passage, where the reader needs it. -->
        <xsl:variable name="target" select="substring-after(substring-before(concat(normalize-space(@target), ' '), ' '), '#')"/>
        <xsl:call-template name="make-note-ref">
          <xsl:with-param name="id"><xsl:call-template name="note-id"/></xsl:with-param>
          <xsl:with-param name="n"><xsl:call-template name="note-number"/></xsl:with-param>
          <xsl:with-param name="attach">
            <xsl:if test="$target and not(ancestor::*[@xml:id = $target])"><xsl:value-of select="$target"/></xsl:if>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="note-on-the-paper">
    <xsl:variable name="place">
      <xsl:call-template name="place-phrase"/>
    </xsl:variable>
    <xsl:variable name="hand">
      <xsl:call-template name="hand-name">
        <xsl:with-param name="pointer" select="@hand"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:text>note-paper</xsl:text>
        <xsl:if test="$view = 'reading'"> marginal</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x data-place="{@place}">
          <xsl:attribute name="data-hand">
            <xsl:call-template name="pointer-ids">
              <xsl:with-param name="pointers" select="@hand"/>
            </xsl:call-template>
          </xsl:attribute>
          <xsl:attribute name="title">
            <xsl:call-template name="hand-title">
              <xsl:with-param name="fallback" select="'Note on the document'"/>
            </xsl:call-template>
          </xsl:attribute>
        </x>
      </xsl:with-param>
      <xsl:with-param name="before">
        <xsl:call-template name="make-label">
          <xsl:with-param name="text">
            <xsl:text>Note</xsl:text>
            <xsl:if test="string($place)"><xsl:value-of select="concat(' ', $place)"/></xsl:if>
            <xsl:if test="string($hand)"><xsl:value-of select="concat(', ', $hand)"/></xsl:if>
            <xsl:text>:</xsl:text>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:text> </xsl:text>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:choose>
          <xsl:when test="@hand">
            <xsl:call-template name="make-part">
              <xsl:with-param name="class" select="'hand'"/>
              <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="note-number">
    <xsl:number level="any" count="tei:note[not(@hand or @place) or @type = 'editorial']" from="tei:TEI/tei:text"/>
  </xsl:template>

  <!-- A note without an xml:id still needs an anchor for its reference to point to. -->
  <xsl:template name="note-id">
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat($document-id, '-note-')"/>
        <xsl:call-template name="note-number"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Called once, after the text: the ordered list's numbers are the references' numbers because both
       follow document order. -->
  <xsl:template name="notes-section">
    <xsl:variable name="notes" select="/tei:TEI/tei:text//tei:note[not(@hand or @place) or @type = 'editorial']"/>
    <xsl:if test="$notes">
      <section class="notes" aria-labelledby="{$document-id}-notes-heading">
        <h2 id="{$document-id}-notes-heading">Notes</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="id"><xsl:call-template name="note-id"/></xsl:variable>
            <xsl:call-template name="make-block">
              <xsl:with-param name="element" select="'li'"/>
              <xsl:with-param name="class">
                <xsl:call-template name="modifier-classes">
                  <xsl:with-param name="base" select="'note'"/>
                  <xsl:with-param name="tokens" select="@type"/>
                </xsl:call-template>
              </xsl:with-param>
              <xsl:with-param name="attributes"><x id="{$id}"/></xsl:with-param>
              <xsl:with-param name="after">
                <xsl:call-template name="note-responsibility"/>
                <xsl:text> </xsl:text>
                <a class="note-back" href="#{$id}-ref" aria-label="Back to the text">↩</a>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A note written by others (e.g. the printed edition's editors) says whose it is, so it is not taken for
       the edition's own. -->
  <xsl:template name="note-responsibility">
    <xsl:variable name="resp" select="substring-after(@resp, '#')"/>
    <xsl:variable name="by" select="/tei:TEI/tei:teiHeader//tei:respStmt[@xml:id = $resp]/tei:name"/>
    <xsl:if test="$resp and $by">
      <xsl:text> </xsl:text>
      <span class="note-resp">(Note by <xsl:value-of select="normalize-space($by)"/>.)</span>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
